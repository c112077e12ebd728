"""Roster admins work in the Django admin: every page loads with a bounded number
of queries on a real (demo) organisation, and finding things is quick."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booths.admin_tools import EstimatedCountPaginator
from booths.models import Booth, District, Mandal, Person, Post, User
from tests.factories import BoothFactory, BoothPresidentFactory, PersonFactory
from tests.support import requires_postgres

MODELS = [
    "state",
    "region",
    "district",
    "mandal",
    "shaktikendra",
    "loksabhaseat",
    "assemblyseat",
    "booth",
    "person",
    "post",
    "user",
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", preset="small", stdout=StringIO())


def _object_for(model: str):
    from django.apps import apps

    if model == "user":
        return User.objects.filter(person__isnull=False).first()
    if model == "booth":
        return Booth.objects.filter(posts__end_date__isnull=False).first()
    if model == "person":
        return Person.objects.filter(posts__role=Post.Role.STATE_OFFICE_BEARER).first()
    return apps.get_model("booths", model).objects.first()


@pytest.mark.parametrize("model", MODELS)
def test_changelist_loads_with_bounded_queries(admin_client, demo, model, django_assert_max_num_queries):
    # 50 rows a page: a query per row would blow far past this bound.
    with django_assert_max_num_queries(12):
        response = admin_client.get(f"/admin/booths/{model}/")
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_and_add_pages_load_with_bounded_queries(admin_client, demo, model, django_assert_max_num_queries):
    obj = _object_for(model)
    with django_assert_max_num_queries(30):
        response = admin_client.get(f"/admin/booths/{model}/{obj.pk}/change/")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get(f"/admin/booths/{model}/add/").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["vacant=yes", "vacant=no", "is_active__exact=1", "region={region}", "district={district}",
     "district={district}&mandal={mandal}", "q=12/3", "q=7", "q=विद्यालय"],
)  # fmt: skip
def test_booth_filters_and_searches_load_with_bounded_queries(admin_client, demo, query, django_assert_max_num_queries):
    mandal = Mandal.objects.select_related("district").first()
    query = query.format(region=mandal.district.region_id, district=mandal.district_id, mandal=mandal.pk)
    with django_assert_max_num_queries(14):
        response = admin_client.get(f"/admin/booths/booth/?{query}")
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def _listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_booth_search_by_assembly_and_part_number(admin_client, db):
    booth = BoothFactory(assembly_seat__number=123, number=45)
    BoothFactory(number=45)
    response = admin_client.get("/admin/booths/booth/", {"q": "123/45"})
    assert _listed(response) == [booth]


def test_booth_search_by_name_and_by_part_number(admin_client, db):
    school = BoothFactory(name="कन्या प्राथमिक विद्यालय रामपुर", number=7)
    other = BoothFactory(name="पंचायत भवन सीतापुर", number=8)
    assert _listed(admin_client.get("/admin/booths/booth/", {"q": "रामपुर"})) == [school]
    assert _listed(admin_client.get("/admin/booths/booth/", {"q": "8"})) == [other]


@pytest.mark.parametrize("typed", ["98765 43210", "+919876543210", "09876543210", "919876543210"])
def test_person_search_by_mobile_in_any_format(admin_client, db, typed):
    person = PersonFactory(mobile="+919876543210")
    by_alternate = PersonFactory(alternate_mobile="+919876543210")
    PersonFactory()
    assert set(_listed(admin_client.get("/admin/booths/person/", {"q": typed}))) == {person, by_alternate}


def test_person_search_by_name(admin_client, db):
    person = PersonFactory(name="सुनीता देवी")
    PersonFactory(name="रामलाल")
    assert _listed(admin_client.get("/admin/booths/person/", {"q": "सुनीता"})) == [person]


def test_vacant_filter_finds_booths_without_a_current_president(admin_client, db):
    vacant = BoothFactory()
    BoothPresidentFactory()
    ended = BoothPresidentFactory(end_date=datetime.date(2024, 5, 1)).booth
    response = admin_client.get("/admin/booths/booth/", {"vacant": "yes"})
    assert set(_listed(response)) == {vacant, ended}
    assert "— vacant —" in response.content.decode()


def test_mandal_filter_lists_mandals_only_of_the_chosen_district(admin_client, demo):
    district = District.objects.first()
    response = admin_client.get("/admin/booths/booth/")
    mandal_filter = next(
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "mandal"
    )
    assert mandal_filter.lookup_choices == []

    response = admin_client.get("/admin/booths/booth/", {"district": district.pk})
    mandal_filter = next(
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "mandal"
    )
    assert {pk for pk, _name in mandal_filter.lookup_choices} == set(district.mandals.values_list("pk", flat=True))
    assert all(booth.mandal.district == district for booth in _listed(response))


def test_people_with_shared_or_missing_numbers_are_easy_to_find(admin_client, db):
    a = PersonFactory(mobile="+919811111111")
    b = PersonFactory(mobile="+919811111111")
    missing = PersonFactory(mobile="")
    PersonFactory()
    assert set(_listed(admin_client.get("/admin/booths/person/", {"mobile_problem": "shared"}))) == {a, b}
    assert _listed(admin_client.get("/admin/booths/person/", {"mobile_problem": "missing"})) == [missing]


def _inline_management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _booth_form(booth: Booth) -> dict[str, str]:
    return {
        "assembly_seat": booth.assembly_seat_id,
        "number": booth.number,
        "name": booth.name,
        "mandal": booth.mandal_id,
        "shakti_kendra": "",
        "is_active": "on",
    }


def test_adding_a_second_current_president_in_the_admin_explains_and_saves_nothing(admin_client, db):
    current = BoothPresidentFactory()
    booth = current.booth
    newcomer = PersonFactory()
    data = {
        **_booth_form(booth),
        **_inline_management("posts", total=2, initial=1),
        "posts-0-id": current.pk,
        "posts-0-booth": booth.pk,
        "posts-0-person": current.person_id,
        "posts-0-role": "booth_president",
        "posts-0-start_date": "2024-01-01",
        "posts-1-booth": booth.pk,
        "posts-1-person": newcomer.pk,
        "posts-1-role": "booth_president",
        "posts-1-start_date": "2025-01-01",
    }
    response = admin_client.post(f"/admin/booths/booth/{booth.pk}/change/", data)
    assert response.status_code == 200
    assert "A booth has one current president." in response.content.decode()
    assert list(Post.objects.filter(booth=booth)) == [current]


def test_ending_a_president_and_adding_the_next_keeps_history(admin_client, db):
    current = BoothPresidentFactory(start_date=datetime.date(2022, 1, 1))
    booth = current.booth
    data = {
        **_booth_form(booth),
        **_inline_management("posts", total=1, initial=1),
        "posts-0-id": current.pk,
        "posts-0-booth": booth.pk,
        "posts-0-person": current.person_id,
        "posts-0-role": "booth_president",
        "posts-0-start_date": "2022-01-01",
        "posts-0-end_date": "2025-02-01",
    }
    assert admin_client.post(f"/admin/booths/booth/{booth.pk}/change/", data).status_code == 302
    newcomer = PersonFactory()
    data.update(_inline_management("posts", total=2, initial=1))
    data.update({"posts-1-booth": booth.pk, "posts-1-person": newcomer.pk, "posts-1-role": "booth_president",
                 "posts-1-start_date": "2025-02-01"})  # fmt: skip
    assert admin_client.post(f"/admin/booths/booth/{booth.pk}/change/", data).status_code == 302
    assert [(p.person_id, p.end_date) for p in Post.objects.filter(booth=booth).order_by("start_date")] == [
        (current.person_id, datetime.date(2025, 2, 1)),
        (newcomer.pk, None),
    ]


def test_post_admin_explains_a_post_at_the_wrong_level(admin_client, db):
    person, booth = PersonFactory(), BoothFactory()
    response = admin_client.post(
        "/admin/booths/post/add/",
        {"person": person.pk, "role": "district_incharge", "booth": booth.pk, "start_date": "2024-01-01"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "A District in-charge post needs this." in content
    assert "Leave this empty for a District in-charge post." in content
    assert not Post.objects.exists()


def test_booth_autocomplete_finds_by_assembly_and_part(admin_client, db):
    booth = BoothFactory(assembly_seat__number=12, number=3)
    BoothFactory(number=3)
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "booths", "model_name": "post", "field_name": "booth", "term": "12/3"},
    )
    assert response.status_code == 200
    assert [row["id"] for row in json.loads(response.content)["results"]] == [str(booth.pk)]


@requires_postgres
def test_unfiltered_booth_list_does_not_count_the_whole_table(admin_client, demo, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE booths_booth")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/booths/booth/")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "booths_booth" in q["sql"]]
    assert counts == []
    assert response.context["cl"].result_count == Booth.objects.count()  # the estimate after ANALYZE


def test_admin_speaks_hindi(client, db):
    from tests.factories import AdminUserFactory

    client.force_login(AdminUserFactory())
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="hi")
    content = response.content.decode()
    assert "बूथ" in content
    assert "मंडल" in content
