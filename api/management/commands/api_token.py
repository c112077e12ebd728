from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from api.services import api_token_create, api_tokens_revoke
from booths.models import User
from booths.phones import parse_indian_mobile


class Command(BaseCommand):
    help = "Print a new API token for an account (its key is shown once), or revoke all of its tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", metavar="PHONE_OR_USERNAME")
        parser.add_argument("--revoke", action="store_true", help="Revoke every token of the account instead.")
        parser.add_argument("--name", default="", help="What the token is for (shown on the tokens page).")

    def handle(self, *args: Any, account: str, revoke: bool, name: str, **options: Any) -> None:
        user = _find(account)
        if revoke:
            count = api_tokens_revoke(user=user, by=user)
            self.stdout.write(f"{count} token(s) of {user.get_username()} revoked.")
            return
        _token, key = api_token_create(user=user, name=name or "api_token command")
        self.stdout.write(f"A token for {user.get_username()} (shown once; send it as 'Authorization: Token <key>'):")
        self.stdout.write(key)


def _find(account: str) -> User:
    users = User.objects.filter(username=account)
    try:
        mobile = parse_indian_mobile(account).as_e164
    except Exception:
        mobile = None
    if mobile:
        users = User.objects.filter(Q(username=account) | Q(username=mobile) | Q(person__mobile=mobile))
    found = list(users[:2])
    if not found:
        raise CommandError(f"There is no account “{account}”.")
    if len(found) > 1:
        raise CommandError(f"“{account}” names several accounts; give the username.")
    if not found[0].is_active:
        raise CommandError(f"The account “{account}” is deactivated.")
    return found[0]
