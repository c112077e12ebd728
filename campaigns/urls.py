from django.urls import path

from . import views
from .verification import views as campaign_views

urlpatterns = [
    path("s/<str:token>", views.signin_link, name="signin_link"),
    path("today/", views.today, name="today"),
    path("calls/", views.my_calls, name="my_calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path("follow-ups/roster/<int:pk>/dismiss/", views.roster_report_dismiss_post, name="roster_report_dismiss"),
    path("campaigns/", campaign_views.reports, name="campaign_reports"),
    path("campaigns/<int:pk>/report/", campaign_views.report, name="campaign_report"),
    path("tiffin/", views.tiffin, name="tiffin"),
    path("tiffin/district/<int:pk>/", views.tiffin_district, name="tiffin_district"),
    path("tiffin/<int:pk>/", views.tiffin_meeting, name="tiffin_meeting"),
    path("tiffin/<int:pk>/cancel/", views.tiffin_meeting_cancel_view, name="tiffin_meeting_cancel"),
    path("tiffin/<int:pk>/photo/", views.tiffin_photo, name="tiffin_photo"),
]
