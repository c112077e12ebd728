from django import template

from booths.phones import format_indian_mobile, mask_mobile

register = template.Library()


@register.filter
def mobile(value: object) -> str:
    """+919876543210 -> 98765 43210"""
    return format_indian_mobile(value)


@register.filter
def masked_mobile(value: object) -> str:
    """+919876543210 -> 98••••3210"""
    return mask_mobile(value)


@register.filter
def whatsapp_number(value: object) -> str:
    """+919876543210 -> 919876543210, as wa.me links want it."""
    return str(value or "").lstrip("+")
