"""factory_boy factories for the roster. Names are synthetic Hindi (Faker hi_IN)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from booths.models import (
    AssemblySeat,
    Booth,
    District,
    LokSabhaSeat,
    Mandal,
    Person,
    Post,
    Region,
    ShaktiKendra,
    State,
    User,
)


def mobile_number(n: int) -> str:
    # Every 10-digit number starting 9 is an Indian mobile (and nothing else).
    return f"+919{n % 10**9:09d}"


class StateFactory(DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["code"]

    code = "UP"
    name = "उत्तर प्रदेश"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"क्षेत्र {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"जिला {n}")


class MandalFactory(DjangoModelFactory):
    class Meta:
        model = Mandal

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"मंडल {n}")


class ShaktiKendraFactory(DjangoModelFactory):
    class Meta:
        model = ShaktiKendra

    mandal = factory.SubFactory(MandalFactory)
    name = factory.Sequence(lambda n: f"शक्ति केंद्र {n}")


class LokSabhaSeatFactory(DjangoModelFactory):
    class Meta:
        model = LokSabhaSeat

    state = factory.SubFactory(StateFactory)
    number = factory.Sequence(lambda n: n + 1000)  # clear of the small numbers tests pick
    name = factory.Sequence(lambda n: f"लोकसभा {n}")


class AssemblySeatFactory(DjangoModelFactory):
    class Meta:
        model = AssemblySeat

    lok_sabha_seat = factory.SubFactory(LokSabhaSeatFactory)
    state = factory.SelfAttribute("lok_sabha_seat.state")
    number = factory.Sequence(lambda n: n + 1000)  # clear of the small numbers tests pick
    name = factory.Sequence(lambda n: f"विधानसभा {n}")


class BoothFactory(DjangoModelFactory):
    class Meta:
        model = Booth

    assembly_seat = factory.SubFactory(AssemblySeatFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"प्राथमिक विद्यालय गांव {n}")
    mandal = factory.SubFactory(MandalFactory)


def short_name() -> str:
    """A Hindi name that fits an SMS template variable (30 characters): Faker's
    hi_IN names with a title now and then run longer, and a long name is an error
    on the message by design (tested on its own)."""
    faker = factory.Faker._get_faker(locale="hi_IN")
    while len(name := faker.name()) > 30:
        pass
    return name


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.LazyFunction(short_name)
    mobile = factory.Sequence(mobile_number)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    start_date = datetime.date(2024, 1, 1)


class BoothPresidentFactory(PostFactory):
    role = Post.Role.BOOTH_PRESIDENT
    booth = factory.SubFactory(BoothFactory)


class DistrictInchargeFactory(PostFactory):
    role = Post.Role.DISTRICT_INCHARGE
    district = factory.SubFactory(DistrictFactory)


class StateOfficeBearerFactory(PostFactory):
    role = Post.Role.STATE_OFFICE_BEARER
    state = factory.SubFactory(StateFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")


class AdminUserFactory(UserFactory):
    username = "roster-admin"
    is_staff = True
    is_superuser = True


def make_booths(*, district: District, count: int, mandals: int = 2, vacant: int = 0) -> list[Booth]:
    """`count` booths spread over `mandals` new mandals of the district, each with a
    current president except the last `vacant` ones."""
    units = [MandalFactory(district=district) for _ in range(mandals)]
    seat = AssemblySeatFactory()
    booths = [BoothFactory(assembly_seat=seat, mandal=units[i % mandals], number=i + 1) for i in range(count)]
    for booth in booths[: count - vacant]:
        BoothPresidentFactory(booth=booth)
    return booths


def make_caller(*, districts: list[District] = (), state: State | None = None, regions: list[Region] = ()) -> User:
    """An active caller account: a district in-charge of `districts`, or a state
    office-bearer of `state` (whole state, or only `regions`)."""
    person = PersonFactory()
    for district in districts:
        DistrictInchargeFactory(person=person, district=district)
    if state is not None:
        if regions:
            for region in regions:
                StateOfficeBearerFactory(person=person, state=state, region=region)
        else:
            StateOfficeBearerFactory(person=person, state=state)
    return UserFactory(person=person, username=str(person.mobile))


def make_viewer(
    *, state: State | None = None, regions: list[Region] = (), districts: list[District] = (), **user: object
) -> User:
    """A dashboard viewer's account: the state leadership (`state`), a regional
    president (`regions`) or a district president (`districts`)."""
    person = PersonFactory()
    if state is not None:
        PostFactory(person=person, role=Post.Role.LEADERSHIP, state=state)
    for region in regions:
        PostFactory(person=person, role=Post.Role.REGIONAL_PRESIDENT, region=region)
    for district in districts:
        PostFactory(person=person, role=Post.Role.DISTRICT_PRESIDENT, district=district)
    return UserFactory(person=person, username=str(person.mobile), **user)
