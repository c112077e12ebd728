from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="dashboard"),
    path("calls/", views.calls, name="dashboard_calls"),
    path("callers/", views.callers, name="dashboard_callers"),
    path("booth-health/", views.booth_health, name="dashboard_booth_health"),
    path("needs/", views.needs, name="dashboard_needs"),
    path("roster-health/", views.roster_health, name="dashboard_roster_health"),
    path("campaigns/", views.campaigns, name="dashboard_campaigns"),
    path("campaigns/<int:pk>/", views.campaign, name="dashboard_campaign"),
    path("seats/", views.seats, name="dashboard_seats"),
    path("seats/<int:pk>/", views.seat, name="dashboard_seat"),
    path("tiffin/", views.tiffin, name="dashboard_tiffin"),
]
