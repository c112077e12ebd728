from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="dashboard"),
    path("calls/", views.calls, name="dashboard_calls"),
    path("callers/", views.callers, name="dashboard_callers"),
    path("booth-health/", views.booth_health, name="dashboard_booth_health"),
    path("needs/", views.needs, name="dashboard_needs"),
    path("roster-health/", views.roster_health, name="dashboard_roster_health"),
    path("tiffin/", views.tiffin, name="dashboard_tiffin"),
]
