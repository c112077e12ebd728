"""What the API returns. Inputs are checked by the pages' own forms (the same
validation and messages), so the API adds no rules of its own."""

from rest_framework import serializers

from booths.models import Booth, Person
from campaigns.models import CallAssignment, FollowUp


class PostSerializer(serializers.Serializer):
    role = serializers.CharField()
    state = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    mobile = serializers.CharField()
    language = serializers.CharField()
    posts = PostSerializer(many=True)


class EarlierCallSerializer(serializers.Serializer):
    day = serializers.DateField()
    caller_name = serializers.CharField()
    result = serializers.CharField()
    standing = serializers.CharField()
    notes = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    """A call of the caller's day, as the Today page's card shows it."""

    id = serializers.IntegerField(source="pk")
    day = serializers.DateField()
    slot = serializers.IntegerField()
    reason = serializers.CharField()
    outcome = serializers.CharField(help_text="Empty until the call is logged.")
    outcome_label = serializers.CharField()
    editable = serializers.BooleanField(help_text="Whether it can still be logged or corrected (till midnight).")
    president_name = serializers.CharField()
    president_mobile = serializers.CharField()
    booth = serializers.CharField(help_text="Assembly seat / part number, as the party writes it.")
    booth_name = serializers.CharField()
    mandal_name = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    campaign = serializers.CharField(source="campaign.name")
    kind = serializers.CharField()
    text = serializers.CharField(source="label")
    choices = serializers.ListField(child=serializers.CharField())


class LogSerializer(serializers.Serializer):
    wellbeing = serializers.CharField()
    wellbeing_note = serializers.CharField()
    standing = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())
    need_other = serializers.CharField()
    notes = serializers.CharField()
    follow_up = serializers.BooleanField()
    tiffin_meeting = serializers.CharField()
    answers = serializers.DictField(child=serializers.JSONField())


class AssignmentDetailSerializer(AssignmentSerializer):
    """A call with what the call page shows: earlier calls, open needs, the
    campaigns' questions to ask, and what has been logged so far."""

    history = EarlierCallSerializer(many=True)
    open_needs = serializers.ListField(child=serializers.CharField())
    questions = QuestionSerializer(many=True)
    asks_tiffin_meeting = serializers.BooleanField()
    log = LogSerializer(allow_null=True)


class OutcomeSerializer(serializers.Serializer):
    """The outcome of a call; checked as the call page's form checks it."""

    outcome = serializers.ChoiceField(choices=CallAssignment.Outcome.choices)
    wellbeing = serializers.CharField(required=False, allow_blank=True)
    wellbeing_note = serializers.CharField(required=False, allow_blank=True)
    standing = serializers.CharField(required=False, allow_blank=True)
    needs = serializers.ListField(child=serializers.CharField(), required=False)
    need_other = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    follow_up = serializers.BooleanField(required=False)
    tiffin_meeting = serializers.CharField(required=False, allow_blank=True)
    answers = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Campaign question id → answer (the call's questions)."
    )


class CallSerializer(serializers.ModelSerializer):
    """A call of the caller's history."""

    # Declared, not derived from the model: the derived range depends on the
    # database (a small integer on PostgreSQL, unbounded on SQLite), and the
    # committed schema must be the same wherever it is generated.
    slot = serializers.IntegerField(min_value=0)
    president_name = serializers.CharField(source="president.name")
    booth = serializers.CharField(source="post.booth.label")
    booth_name = serializers.CharField(source="post.booth.name")
    mandal_name = serializers.CharField(source="post.booth.mandal.name")
    standing = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = CallAssignment
        fields = ["id", "day", "slot", "status", "outcome", "logged_at", "president_name", "booth", "booth_name",
                  "mandal_name", "standing", "notes"]  # fmt: skip

    def get_standing(self, call: CallAssignment) -> str:
        log = getattr(call, "log", None)
        return log.standing if log else ""

    def get_notes(self, call: CallAssignment) -> str:
        log = getattr(call, "log", None)
        return log.notes if log else ""


class FollowUpSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name")
    booth = serializers.CharField(source="booth.label")
    booth_name = serializers.CharField(source="booth.name")
    president_name = serializers.CharField(source="log.assignment.president.name")
    assigned_to: "serializers.PrimaryKeyRelatedField[Person]" = serializers.PrimaryKeyRelatedField(read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.name", default="")

    class Meta:
        model = FollowUp
        fields = [
            *("id", "category", "detail", "status", "district", "booth", "booth_name", "president_name"),
            *("assigned_to", "assigned_to_name", "resolution_note", "created_at", "updated_at", "resolved_at"),
        ]


class FollowUpUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FollowUp.Status.choices, required=False)
    assigned_to = serializers.IntegerField(required=False, allow_null=True, help_text="A person's id, or null.")
    note = serializers.CharField(required=False, allow_blank=True)


class BoothSerializer(serializers.ModelSerializer):
    """A booth of my scope with its place on the map and its current president."""

    # A declared field named like Field.label: DRF takes it off the class, the stubs cannot know.
    label = serializers.CharField(help_text="Assembly seat / part number, as the party writes it.")  # type: ignore[assignment]
    mandal = serializers.CharField(source="mandal.name")
    district = serializers.CharField(source="mandal.district.name")
    district_id = serializers.IntegerField(source="mandal.district_id")
    region = serializers.CharField(source="mandal.district.region.name")
    president_name = serializers.SerializerMethodField()
    president_mobile = serializers.SerializerMethodField()

    class Meta:
        model = Booth
        fields = ["id", "label", "name", "mandal", "district", "district_id", "region", "is_active",
                  "president_name", "president_mobile"]  # fmt: skip

    def _president(self, booth: Booth) -> Person | None:
        posts = getattr(booth, "current_president_posts", [])
        return posts[0].person if posts else None

    def get_president_name(self, booth: Booth) -> str:
        person = self._president(booth)
        return person.name if person else ""

    def get_president_mobile(self, booth: Booth) -> str:
        person = self._president(booth)
        return str(person.mobile) if person and person.mobile else ""


class FiguresSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()
    logged = serializers.IntegerField()
    reached = serializers.IntegerField()
    missed = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Neither logged nor missed yet.")
    logged_share = serializers.FloatField(
        allow_null=True,
        help_text="logged / assigned in percent (0-100, one decimal, as in the CSV); null without calls",
    )
    reach_rate = serializers.FloatField(
        allow_null=True,
        help_text="reached / assigned in percent (0-100, one decimal, as in the CSV); null without calls",
    )


class TrendDaySerializer(FiguresSerializer):
    day = serializers.DateField()


class OverviewRowSerializer(FiguresSerializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    level = serializers.CharField()
    parents = serializers.DictField(child=serializers.CharField(allow_null=True))


class OverviewSerializer(serializers.Serializer):
    """The overview dashboard's figures for a period, within my scope."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by = serializers.CharField()
    totals = FiguresSerializer()
    trend = TrendDaySerializer(many=True)
    rows = OverviewRowSerializer(many=True)
    units_total = serializers.IntegerField()
    units_without_calls = serializers.IntegerField()


class TableColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # as above: a declared field, not Field.label
    kind = serializers.CharField(help_text="text, int, pct (percent, one decimal), vote, gap, date, datetime, phone")


class DashboardTableSerializer(serializers.Serializer):
    """One table of a dashboard, as its CSV download has it (the same columns,
    values and territory), as JSON: a row is an object by column key."""

    board = serializers.CharField()
    table = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by = serializers.CharField()
    columns = TableColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(child=serializers.JSONField(allow_null=True)))
