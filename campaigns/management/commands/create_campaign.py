import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from booths.models import District, State
from campaigns.models import CampaignQuestion
from campaigns.verification.services import campaign_create


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("%(value)s: write the date as YYYY-MM-DD.") % {"value": value}) from exc


class Command(BaseCommand):
    help = (
        "Create a campaign (e.g. Mahajansampark Abhiyan) whose progress calls verify. Its first question is always "
        "the booth-level one (yes / partly / no / unknown); --question adds up to two more (yes/no, or a number "
        "when the text starts with 'number:'). Prints the new campaign's id on its last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--districts", default="", help="District names separated by ';' (default: the state).")
        parser.add_argument("--question", action="append", default=[], help="A further question (at most two).")

    def handle(self, *args: Any, name: str, start: str, end: str, districts: str, question: list[str], **options):
        names = [part.strip() for part in districts.split(";") if part.strip()]
        chosen = []
        for district_name in names:
            found = list(District.objects.filter(name__iexact=district_name))
            if not found:
                raise CommandError(_("There is no district called '%(name)s'.") % {"name": district_name})
            if len(found) > 1:
                raise CommandError(
                    _("Several districts are called '%(name)s' (in several states).") % {"name": district_name}
                )
            chosen.append(found[0])
        states = list(State.objects.all()[:2])
        state = states[0] if len(states) == 1 and not chosen else None
        questions = []
        for text in question:
            if text.lower().startswith("number:"):
                questions.append((text[len("number:") :].strip(), CampaignQuestion.Kind.NUMBER))
            else:
                questions.append((text.strip(), CampaignQuestion.Kind.YES_NO))
        try:
            campaign = campaign_create(
                name=name, start=_day(start), end=_day(end), state=state, districts=chosen, questions=questions
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        where = ", ".join(d.name for d in chosen) or (state.name if state else _("every state"))
        self.stdout.write(
            _("Created '%(name)s', %(start)s to %(end)s, in %(where)s; %(questions)s questions.")
            % {
                "name": campaign.name,
                "start": campaign.start,
                "end": campaign.end,
                "where": where,
                "questions": campaign.questions.count(),
            }
        )
        self.stdout.write(str(campaign.pk))
