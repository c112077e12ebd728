from django.urls import path

from . import views

urlpatterns = [
    path("s/<str:token>", views.signin_link, name="signin_link"),
    path("today/", views.today, name="today"),
    path("calls/", views.my_calls, name="my_calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path("follow-ups/roster/<int:pk>/dismiss/", views.roster_report_dismiss, name="roster_report_dismiss"),
]
