"""Deterministic, synthetic demo organisations at three sizes.

Everything here is invented: names are drawn from Faker's hi_IN lists, phone
numbers are random valid Indian mobiles, place names are built from common
parts. The same preset and seed always give the same organisation.

Rows are written with bulk inserts one district at a time, so memory stays
flat from the small preset to a whole country.
"""

import datetime
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from faker.providers.person.hi_IN import Provider as HindiNames
from phonenumbers import PhoneMetadata

from .models import AssemblySeat, Booth, District, LokSabhaSeat, Mandal, Person, Post, Region, ShaktiKendra, State, User
from .progress import Progress, no_progress
from .roster.files import clean_cell
from .states import STATES

BATCH = 2000

UP_REGIONS = ["पश्चिम", "ब्रज", "कानपुर-बुंदेलखंड", "अवध", "काशी", "गोरखपुर"]

# The administrative districts of Uttar Pradesh, roughly grouped by the party's
# regions above; big cities become separate organisational districts.
UP_DISTRICTS = [
    # पश्चिम
    "मेरठ", "गाजियाबाद", "गौतम बुद्ध नगर", "बागपत", "हापुड़", "बुलंदशहर", "मुजफ्फरनगर", "शामली",
    "सहारनपुर", "बिजनौर", "मुरादाबाद", "अमरोहा", "संभल", "रामपुर",
    # ब्रज
    "आगरा", "मथुरा", "अलीगढ़", "हाथरस", "फिरोजाबाद", "मैनपुरी", "एटा", "कासगंज", "बरेली", "बदायूं",
    "पीलीभीत", "शाहजहांपुर",
    # कानपुर-बुंदेलखंड
    "कानपुर नगर", "कानपुर देहात", "इटावा", "औरैया", "फर्रुखाबाद", "कन्नौज", "झांसी", "ललितपुर",
    "जालौन", "हमीरपुर", "महोबा", "बांदा", "चित्रकूट", "फतेहपुर",
    # अवध
    "लखनऊ", "उन्नाव", "रायबरेली", "सीतापुर", "हरदोई", "लखीमपुर खीरी", "बाराबंकी", "अयोध्या",
    "अमेठी", "सुल्तानपुर", "बहराइच", "श्रावस्ती", "बलरामपुर", "गोंडा",
    # काशी
    "वाराणसी", "चंदौली", "गाजीपुर", "जौनपुर", "भदोही", "मिर्जापुर", "सोनभद्र", "प्रयागराज",
    "कौशांबी", "प्रतापगढ़",
    # गोरखपुर
    "गोरखपुर", "महराजगंज", "कुशीनगर", "देवरिया", "बस्ती", "सिद्धार्थनगर", "संत कबीर नगर",
    "आजमगढ़", "मऊ", "बलिया", "अंबेडकर नगर",
]  # fmt: skip
CITY_SPLITS = ["महानगर", "ग्रामीण"]
BIG_CITIES = [
    "लखनऊ", "कानपुर नगर", "वाराणसी", "प्रयागराज", "आगरा", "गोरखपुर", "मेरठ", "गाजियाबाद", "बरेली",
    "मुरादाबाद", "अलीगढ़", "झांसी", "अयोध्या", "मथुरा", "सहारनपुर", "गौतम बुद्ध नगर", "फिरोजाबाद",
    "शाहजहांपुर", "रामपुर", "आजमगढ़", "जौनपुर", "सीतापुर", "हरदोई", "बस्ती", "गोंडा",
]  # fmt: skip

PLACE_STARTS = [
    "राम", "सीता", "शिव", "कृष्ण", "लक्ष्मी", "गोविंद", "हरि", "बिशन", "चंद्र", "देव", "धर्म", "गोपाल",
    "जगदीश", "कमल", "मोहन", "नारायण", "प्रेम", "रतन", "सूरज", "विजय", "फतेह", "शाह", "बेल", "नीम",
    "गंगा", "जमुना", "सरयू", "माधव", "रघु", "बलराम", "भवानी", "दुर्गा", "हनुमान", "केशव", "मुरली",
    "श्याम", "सुंदर", "उदय", "आनंद", "बसंत", "भैरव", "गोकुल", "दौलत", "नवल", "अमर", "सुल्तान",
    "इस्माइल", "करीम", "महमूद", "बहादुर", "जलाल", "कासिम", "सिकंदर", "मान", "भीम", "अर्जुन",
]  # fmt: skip
PLACE_ENDS = ["पुर", "नगर", "गंज", "गढ़", "पुरा", "खेड़ा", "पुरवा", "डीह", "पट्टी", "मऊ", "पाली", "गांव"]
PLACE_QUALIFIERS = ["खुर्द", "कलां", "बुजुर्ग", "देहात", "बाजार", "सराय"]
BOOTH_BUILDINGS = [
    "प्राथमिक विद्यालय", "उच्च प्राथमिक विद्यालय", "कम्पोजिट विद्यालय", "जूनियर हाई स्कूल",
    "पंचायत भवन", "इंटर कॉलेज", "आंगनबाड़ी केंद्र", "सामुदायिक भवन",
]  # fmt: skip
UP_SURNAMES = [
    "यादव", "मौर्य", "पटेल", "चौहान", "पाल", "निषाद", "राजभर", "कुशवाहा", "त्रिपाठी", "मिश्रा", "शुक्ला",
    "पाण्डेय", "द्विवेदी", "सिंह", "वर्मा", "गुप्ता", "अग्रवाल", "जायसवाल", "प्रजापति", "लोधी", "कश्यप",
    "सैनी", "शाक्य", "गौतम", "बघेल", "राठौर", "तोमर", "सोनकर", "कुर्मी", "दुबे", "तिवारी", "श्रीवास्तव",
]  # fmt: skip
STATE_TITLES = ["प्रदेश उपाध्यक्ष", "प्रदेश महामंत्री", "प्रदेश मंत्री", "प्रदेश कोषाध्यक्ष", "प्रदेश प्रवक्ता",
                "प्रदेश कार्यसमिति सदस्य", "प्रदेश मीडिया प्रभारी", "प्रदेश सह-कोषाध्यक्ष"]  # fmt: skip

# (code, polling stations in thousands, Lok Sabha seats, assembly seats), 2024 orders of magnitude.
INDIA_STATES = [
    ("UP", 162, 80, 403), ("MH", 99, 48, 288), ("WB", 80, 42, 294),
    ("BR", 77, 40, 243), ("TN", 68, 39, 234), ("MP", 64, 29, 230),
    ("KA", 58, 28, 224), ("RJ", 52, 25, 200), ("GJ", 50, 26, 182),
    ("AP", 46, 25, 175), ("OD", 37, 21, 147), ("TG", 35, 17, 119),
    ("JH", 29, 14, 81), ("KL", 25, 20, 140), ("AS", 24, 14, 126),
    ("PB", 24, 13, 117), ("CG", 24, 11, 90), ("HR", 20, 10, 90),
    ("DL", 13, 7, 70), ("JK", 11, 5, 90), ("UK", 11, 5, 70),
    ("HP", 8, 4, 68), ("ML", 3.5, 2, 60), ("TR", 3.3, 2, 60),
    ("MN", 2.9, 2, 60), ("NL", 2.3, 1, 60), ("AR", 2.2, 2, 60),
    ("GA", 1.7, 2, 40), ("MZ", 1.3, 1, 40), ("PY", 1.0, 1, 30),
    ("SK", 0.6, 1, 32),
]  # fmt: skip


@dataclass(frozen=True)
class StatePlan:
    code: str
    name: str
    regions: int
    districts: int
    lok_sabha: int
    assembly: int
    mandals: int
    booths: int
    callers: int


def _india_plan() -> list[StatePlan]:
    total = sum(row[1] for row in INDIA_STATES)  # polling stations, in thousands
    plans = []
    for code, thousands, lok_sabha, assembly in INDIA_STATES:
        share = thousands / total
        booths = round(1_050_000 * share)
        districts = 98 if code == "UP" else min(assembly, max(1, round(1_000 * share)))
        plans.append(
            StatePlan(
                code=code,
                name=STATES[code],
                regions=6 if code == "UP" else max(1, min(6, round(districts / 12))),
                districts=districts,
                lok_sabha=lok_sabha,
                assembly=assembly,
                mandals=max(assembly, round(15_000 * share)),
                booths=booths,
                callers=max(districts + 2, round(20_000 * share)),
            )
        )
    return plans


PRESETS: dict[str, list[StatePlan]] = {
    "small": [StatePlan("UP", STATES["UP"], 6, 12, 3, 12, 24, 360, 16)],
    "up": [StatePlan("UP", STATES["UP"], 6, 98, 80, 403, 1_918, 163_000, 250)],
    # The campaign simulation's state: ten districts of 120 booths, sixteen callers.
    "sim": [StatePlan("UP", STATES["UP"], 2, 10, 4, 20, 40, 1_200, 16)],
    "india": _india_plan(),
}

VACANT_SHARE = 0.03  # booths without a current president
SHARED_PHONE_SHARE = 0.02  # presidents using a relative's phone
ALTERNATE_SHARE = 0.2  # presidents with a second number
PAST_PRESIDENT_SHARE = 0.08  # booths whose president changed: history to look at
FEMALE_SHARE = 0.15
DATES_FROM = datetime.date(2018, 1, 1)
DATES_DAYS = (datetime.date(2025, 6, 30) - DATES_FROM).days


@dataclass
class SeedSummary:
    states: int = 0
    regions: int = 0
    districts: int = 0
    mandals: int = 0
    shakti_kendras: int = 0
    lok_sabha_seats: int = 0
    assembly_seats: int = 0
    booths: int = 0
    vacant_booths: int = 0
    people: int = 0
    posts: int = 0
    callers: int = 0
    seconds: float = 0.0
    caller_usernames: list[str] = field(default_factory=list)


def _split(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        metadata = PhoneMetadata.metadata_for_region("IN")
        assert metadata is not None and metadata.mobile is not None and metadata.fixed_line is not None
        self.mobile_pattern = re.compile(f"(?:{metadata.mobile.national_number_pattern})")
        self.fixed_line_pattern = re.compile(f"(?:{metadata.fixed_line.national_number_pattern})")
        self.used_mobiles: set[int] = set()
        # Read as a sheet's cells are: Faker's 'िनशा' (legacy-font order) becomes निशा.
        self.first_male = [clean_cell(name) for name in HindiNames.first_names_male]
        self.first_female = [clean_cell(name) for name in HindiNames.first_names_female]
        self.surnames = sorted(set(HindiNames.last_names) | set(UP_SURNAMES))

    def mobile(self) -> str:
        """A random Indian number that is a mobile and nothing else, not handed out before, in E.164."""
        rng = self.rng
        while True:
            number = rng.randrange(6_000_000_000, 10_000_000_000)
            digits = str(number)
            if (
                number not in self.used_mobiles
                and self.mobile_pattern.fullmatch(digits)
                and not self.fixed_line_pattern.fullmatch(digits)
            ):
                self.used_mobiles.add(number)
                return f"+91{digits}"

    def person_name(self) -> str:
        rng = self.rng
        first = rng.choice(self.first_female if rng.random() < FEMALE_SHARE else self.first_male)
        return unicodedata.normalize("NFC", f"{first} {rng.choice(self.surnames)}")

    def place_names(self) -> Iterator[str]:
        """Endless distinct place names: bare names first, then qualified, then numbered."""
        rng = self.rng
        bare = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]
        rng.shuffle(bare)
        yield from bare
        qualified = [f"{name} {q}" for name in bare for q in PLACE_QUALIFIERS]
        rng.shuffle(qualified)
        yield from qualified
        n = 2
        while True:
            for name in bare:
                yield f"{name} {n}"
            n += 1

    def date(self) -> datetime.date:
        return DATES_FROM + datetime.timedelta(days=self.rng.randrange(DATES_DAYS))


def seed_demo(*, preset: str, seed: int = 1, progress: Progress = no_progress) -> SeedSummary:
    """Create the preset's demo organisation in an empty database; `progress`
    hears of the booths created so far."""
    started = time.monotonic()
    gen = _Generator(seed)
    summary = SeedSummary()
    total = sum(plan.booths for plan in PRESETS[preset])
    progress("seeding", 0, total)
    for plan in PRESETS[preset]:
        with transaction.atomic():
            _StateSeeder(gen, plan, summary, lambda: progress("seeding", summary.booths, total)).run()
    progress("seeding", summary.booths, total)
    if connection.vendor == "postgresql":
        # Planner statistics for the freshly loaded tables, before anyone queries them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary.seconds = time.monotonic() - started
    return summary


class _StateSeeder:
    """Writes one state's organisation, buffering people and posts for bulk inserts."""

    def __init__(
        self, gen: _Generator, plan: StatePlan, summary: SeedSummary, report: Callable[[], None] = lambda: None
    ) -> None:
        self.gen = gen
        self.report = report
        self.rng = gen.rng
        self.plan = plan
        self.summary = summary
        self.people: list[Person] = []
        self.posts: list[Post] = []

    def new_person(self, *, mobile: str | None = None, alternate: bool = False) -> Person:
        person = Person(name=self.gen.person_name(), mobile=mobile or self.gen.mobile())
        if alternate:
            person.alternate_mobile = self.gen.mobile()
        self.people.append(person)
        return person

    def add_post(self, person: Person, role: str, **fields: object) -> None:
        fields.setdefault("start_date", self.gen.date())
        self.posts.append(Post(person=person, role=role, **fields))

    def flush(self) -> None:
        Person.objects.bulk_create(self.people, batch_size=BATCH)
        for post in self.posts:
            post.person_id = post.person.pk
        Post.objects.bulk_create(self.posts, batch_size=BATCH)
        self.summary.people += len(self.people)
        self.summary.posts += len(self.posts)
        self.people.clear()
        self.posts.clear()

    def run(self) -> None:
        plan, summary = self.plan, self.summary
        state = State.objects.create(code=plan.code, name=plan.name)
        region_names = UP_REGIONS if plan.code == "UP" else [f"क्षेत्र {i + 1}" for i in range(plan.regions)]
        regions = Region.objects.bulk_create(Region(state=state, name=name) for name in region_names[: plan.regions])
        districts = self.create_districts(regions)

        # Lok Sabha seats hold consecutive assembly seats; so does each district.
        places = self.gen.place_names()
        lok_sabha_seats = LokSabhaSeat.objects.bulk_create(
            LokSabhaSeat(state=state, number=i + 1, name=next(places), **_seat_result(self.gen, plan.code, i + 1))
            for i in range(plan.lok_sabha)
        )
        seat_lok_sabha = _spread(lok_sabha_seats, plan.assembly)
        assembly_seats = AssemblySeat.objects.bulk_create(
            AssemblySeat(state=state, lok_sabha_seat=seat_lok_sabha[i], number=i + 1, name=next(places))
            for i in range(plan.assembly)
        )
        seat_district = _spread(districts, plan.assembly)
        booths_per_seat = _split(plan.booths, plan.assembly)
        mandals_per_seat = _split(plan.mandals, plan.assembly)
        # Mandal names unique in the state: roster files refuse a mandal under two districts.
        mandal_names = self.gen.place_names()
        for i, seat in enumerate(assembly_seats):
            district = seat_district[i]
            self.create_seat_booths(seat, district, mandal_names, mandals_per_seat[i], booths_per_seat[i])
            if len(self.people) >= BATCH * 5:
                self.flush()
            self.report()

        for district in districts:
            self.add_post(self.new_person(), Post.Role.DISTRICT_PRESIDENT, district=district)
        for region in regions:
            self.add_post(self.new_person(), Post.Role.REGIONAL_PRESIDENT, region=region)
        self.create_callers(state, regions, districts)

        summary.states += 1
        summary.regions += len(regions)
        summary.districts += len(districts)
        summary.lok_sabha_seats += len(lok_sabha_seats)
        summary.assembly_seats += len(assembly_seats)

    def create_districts(self, regions: list[Region]) -> list[District]:
        names = iter(_district_names(self.gen, self.plan))
        districts = []
        for region, count in zip(regions, _split(self.plan.districts, len(regions)), strict=True):
            for _ in range(count):
                name = next(names)
                base, _sep, last = name.rpartition(" ")
                districts.append(
                    District(region=region, name=name, administrative_district=base if last in CITY_SPLITS else "")
                )
        return District.objects.bulk_create(districts)

    def create_seat_booths(
        self, seat: AssemblySeat, district: District, mandal_names: Iterator[str], mandal_count: int, booth_count: int
    ) -> None:
        rng, gen, summary = self.rng, self.gen, self.summary
        mandals = Mandal.objects.bulk_create(
            Mandal(district=district, name=next(mandal_names)) for _ in range(mandal_count)
        )
        summary.mandals += len(mandals)
        part = 0
        for mandal, count_in_mandal in zip(mandals, _split(booth_count, len(mandals)), strict=True):
            self.add_post(self.new_person(), Post.Role.MANDAL_PRESIDENT, mandal=mandal)
            # Shakti kendras of about six booths, named for a village; a school often
            # holds two booths in two rooms.
            kendra_count = max(1, round(count_in_mandal / 6))
            villages = gen.place_names()
            kendras = ShaktiKendra.objects.bulk_create(
                ShaktiKendra(mandal=mandal, name=next(villages)) for _ in range(kendra_count)
            )
            summary.shakti_kendras += len(kendras)
            booths = []
            for kendra, count in zip(kendras, _split(count_in_mandal, kendra_count), strict=True):
                names: list[str] = []
                while len(names) < count:
                    building = f"{rng.choice(BOOTH_BUILDINGS)} {next(villages)}"
                    if count - len(names) >= 2 and rng.random() < 0.4:
                        names += [f"{building} कक्ष सं. 1", f"{building} कक्ष सं. 2"]
                    else:
                        names.append(building)
                for name in names:
                    part += 1
                    booths.append(
                        Booth(assembly_seat=seat, number=part, name=name, mandal=mandal, shakti_kendra=kendra)
                    )
            Booth.objects.bulk_create(booths, batch_size=BATCH)
            summary.booths += len(booths)
            self.create_presidents(booths)

    def create_presidents(self, booths: list[Booth]) -> None:
        rng, gen = self.rng, self.gen
        previous_mobile = ""
        for booth in booths:
            if rng.random() < VACANT_SHARE:
                self.summary.vacant_booths += 1
                continue
            # Families share phones: now and then a president uses a neighbour's number.
            shared = previous_mobile if previous_mobile and rng.random() < SHARED_PHONE_SHARE else None
            president = self.new_person(mobile=shared, alternate=rng.random() < ALTERNATE_SHARE)
            previous_mobile = str(president.mobile)
            start = gen.date()
            if rng.random() < PAST_PRESIDENT_SHARE and (start - DATES_FROM).days > 400:
                earlier = DATES_FROM + datetime.timedelta(days=rng.randrange((start - DATES_FROM).days - 1))
                self.add_post(
                    self.new_person(), Post.Role.BOOTH_PRESIDENT, booth=booth, start_date=earlier, end_date=start
                )
            self.add_post(president, Post.Role.BOOTH_PRESIDENT, booth=booth, start_date=start)

    def create_callers(self, state: State, regions: list[Region], districts: list[District]) -> None:
        """District in-charges (a few look after two districts) and state office-bearers."""
        rng = self.rng
        incharge_count = max(1, round(len(districts) * 0.88))
        callers: list[Person] = []
        for i, district in enumerate(districts):
            person = self.new_person() if i < incharge_count else callers[i - incharge_count]
            if i < incharge_count:
                callers.append(person)
            self.add_post(person, Post.Role.DISTRICT_INCHARGE, title="जिला प्रभारी", district=district)
        for _ in range(max(0, self.plan.callers - incharge_count)):
            person = self.new_person()
            callers.append(person)
            title, start = rng.choice(STATE_TITLES), self.gen.date()
            if len(regions) > 1 and rng.random() < 0.4:
                for region in rng.sample(regions, k=rng.choice([1, 1, 2])):
                    self.add_post(
                        person, Post.Role.STATE_OFFICE_BEARER, title=title, state=state, region=region, start_date=start
                    )
            else:
                self.add_post(person, Post.Role.STATE_OFFICE_BEARER, title=title, state=state, start_date=start)
        self.flush()
        users = [User(username=str(person.mobile), first_name=person.name[:150], person=person) for person in callers]
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users, batch_size=BATCH)
        self.summary.callers += len(users)
        shown = self.summary.caller_usernames
        shown.extend(user.username for user in users[: max(0, 3 - len(shown))])


def _seat_result(gen: _Generator, state_code: str, number: int) -> dict[str, Decimal]:
    """A plausible last result around the party's 51 % (a spread of seats won and
    lost) and a target a few points above it. Drawn from a generator of the seat's
    own, so that the rest of the demo is the same as before seats had results."""
    rng = random.Random(f"{gen.seed}-{state_code}-{number}")
    last = min(max(rng.gauss(51, 6), 30), 70)
    target = min(last + rng.uniform(1.5, 6), 75)
    return {"last_vote_pct": Decimal(f"{last:.1f}"), "target_vote_pct": Decimal(f"{target:.1f}")}


def _spread(items: list, total: int) -> list:
    """Each of `total` slots gets an item, consecutive slots sharing one, as evenly as possible."""
    return [item for item, count in zip(items, _split(total, len(items)), strict=True) for _ in range(count)]


def _district_names(gen: _Generator, plan: StatePlan) -> list[str]:
    if plan.code != "UP":
        places = gen.place_names()
        return [next(places) for _ in range(plan.districts)]
    if plan.districts < len(UP_DISTRICTS):
        # Small presets: the first districts of each region's block.
        blocks = _split(len(UP_DISTRICTS), len(UP_REGIONS))
        wants = _split(plan.districts, len(UP_REGIONS))
        picked, at = [], 0
        for block, want in zip(blocks, wants, strict=True):
            picked += UP_DISTRICTS[at : at + want]
            at += block
        return picked
    names = list(UP_DISTRICTS)
    # The biggest cities become two organisational districts until the count is reached.
    for city in BIG_CITIES:
        if len(names) >= plan.districts:
            break
        at = names.index(city)
        names[at : at + 1] = [f"{city} {split}" for split in CITY_SPLITS]
    places = gen.place_names()
    while len(names) < plan.districts:
        names.append(next(places))
    return names[: plan.districts]


@dataclass
class DemoLeaders:
    leadership: User
    regional_president: User | None
    district_president: User | None


def demo_leaders_create(*, state: State | None = None, seed: int = 1) -> DemoLeaders:
    """Accounts for a demo's leadership: the state president (a leadership post,
    made here), the first region's president and the president of that region's
    first district (the posts `seed_demo` made). Safe to run again."""
    state = state or State.objects.order_by("pk").first()
    leader_post = Post.objects.current().filter(role=Post.Role.LEADERSHIP, state=state).select_related("person").first()
    if leader_post is None:
        gen = _Generator(seed + 7_919)
        gen.used_mobiles.update(
            int(str(mobile)[3:]) for mobile in Person.objects.exclude(mobile="").values_list("mobile", flat=True)
        )
        person = Person.objects.create(name=gen.person_name(), mobile=gen.mobile())
        leader_post = Post.objects.create(person=person, role=Post.Role.LEADERSHIP, title="प्रदेश अध्यक्ष", state=state)
    region = Region.objects.filter(state=state).order_by("name").first()
    district = District.objects.filter(region=region).order_by("name").first()
    presidents = {
        role: Post.objects.current().filter(role=role, **unit).select_related("person").first()
        for role, unit in ((Post.Role.REGIONAL_PRESIDENT, {"region": region}),
                           (Post.Role.DISTRICT_PRESIDENT, {"district": district}))
    }  # fmt: skip
    accounts: list[User | None] = []
    for post in (leader_post, *presidents.values()):
        if post is None:
            accounts.append(None)
            continue
        user = User.objects.filter(person=post.person).first()
        if user is None:
            user = User(username=str(post.person.mobile), first_name=post.person.name[:150], person=post.person)
            user.set_unusable_password()
            user.save()
        accounts.append(user)
    leadership, regional, district_president = accounts
    assert leadership is not None  # made above when missing
    return DemoLeaders(leadership, regional, district_president)
