"""Message templates, as Indian operators require them.

Under TRAI's DLT rules a bulk SMS must match a template registered by the
sender, word for word, with only its `{#var#}` slots filled, each slot at most
30 characters. So each message kind has, per language, registered variants
(one per number of calls listed), each with its DLT template id (for SMS) and
its WhatsApp template name. Rendering never alters the text: a value too long
for its slot, or a missing template, is an error for the send to record.

Deployments register their own texts; `MESSAGE_TEMPLATES` in settings replaces
these defaults kind by kind.
"""

from dataclasses import dataclass

from django.conf import settings

VAR = "{#var#}"
VARIABLE_MAX_LENGTH = 30  # TRAI DLT: a variable holds at most 30 characters


class TemplateError(Exception):
    """The message cannot be written within its registered template."""


@dataclass(frozen=True)
class Rendered:
    text: str
    template_id: str
    whatsapp_template: str
    variables: list[str]


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def default_templates() -> dict:
    site = _site()
    return {
        "morning_list": {
            "hi": {
                2: {
                    "text": "बूथ संवाद {#var#}: आज इन बूथ अध्यक्षों को फ़ोन करें। "
                    "1) {#var#} {#var#}, बूथ {#var#}, मंडल {#var#}। "
                    "2) {#var#} {#var#}, बूथ {#var#}, मंडल {#var#}। "
                    f"बात करके यहाँ दर्ज करें: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_morning_2",
                },
                1: {
                    "text": "बूथ संवाद {#var#}: आज इन बूथ अध्यक्ष को फ़ोन करें: "
                    "{#var#} {#var#}, बूथ {#var#}, मंडल {#var#}। "
                    f"बात करके यहाँ दर्ज करें: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_morning_1",
                },
            },
            "en": {
                2: {
                    "text": "Booth Samvad {#var#}: please call these booth presidents today. "
                    "1) {#var#} {#var#}, booth {#var#}, mandal {#var#}. "
                    "2) {#var#} {#var#}, booth {#var#}, mandal {#var#}. "
                    f"Log the calls here: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_morning_2",
                },
                1: {
                    "text": "Booth Samvad {#var#}: please call this booth president today: "
                    "{#var#} {#var#}, booth {#var#}, mandal {#var#}. "
                    f"Log the call here: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_morning_1",
                },
            },
        },
        "evening_reminder": {
            "hi": {
                "any": {
                    "text": "बूथ संवाद: आज की {#var#} कॉल अभी दर्ज नहीं हुई हैं। "
                    f"कृपया फ़ोन करके यहाँ दर्ज करें: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_reminder",
                },
            },
            "en": {
                "any": {
                    "text": "Booth Samvad: {#var#} of today's calls are not logged yet. "
                    f"Please call and log them here: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_reminder",
                },
            },
        },
        # The last week of a month, to a district's in-charges while some of its
        # mandals have no tiffin meeting planned: district(s), how many mandals, link.
        "tiffin_reminder": {
            "hi": {
                "any": {
                    "text": "बूथ संवाद: {#var#} के {#var#} मंडलों में इस महीने की टिफ़िन बैठक अभी तय नहीं है। "
                    f"कृपया यहाँ तय करें: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_tiffin",
                },
            },
            "en": {
                "any": {
                    "text": "Booth Samvad: {#var#} has {#var#} mandals with no tiffin meeting planned this month. "
                    f"Please plan them here: {site}/s/{{#var#}}",
                    "dlt_template_id": "",
                    "whatsapp_template": "booth_samvad_tiffin",
                },
            },
        },
    }


def templates() -> dict:
    configured = getattr(settings, "MESSAGE_TEMPLATES", None) or {}
    return {**default_templates(), **configured}


def render(*, kind: str, language: str, variant: int | str, variables: list[str]) -> Rendered:
    """Fill a registered template, or raise TemplateError saying what is wrong."""
    by_language = templates().get(kind, {})
    if language not in by_language:
        raise TemplateError(f"no {kind} template is registered for language '{language}'")
    variants = by_language[language]
    template = variants.get(variant) or variants.get(str(variant)) or variants.get("any")
    if template is None:
        raise TemplateError(f"no {kind} template in '{language}' lists {variant} calls")
    text = template["text"]
    slots = text.count(VAR)
    if slots != len(variables):
        raise TemplateError(f"the {kind} template has {slots} variables, the message {len(variables)}")
    for value in variables:
        if len(value) > VARIABLE_MAX_LENGTH:
            raise TemplateError(
                f"“{value}” is {len(value)} characters; a template variable holds at most {VARIABLE_MAX_LENGTH}"
            )
    pieces = text.split(VAR)
    filled = pieces[0] + "".join(value + piece for value, piece in zip(variables, pieces[1:], strict=True))
    return Rendered(
        text=filled,
        template_id=template.get("dlt_template_id", ""),
        whatsapp_template=template.get("whatsapp_template", ""),
        variables=list(variables),
    )
