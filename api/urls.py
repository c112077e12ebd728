from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, views

app_name = "api"

v1 = [
    path("me/", views.MeView.as_view(), name="me"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment"),
    path("assignments/<int:pk>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("calls/", views.CallListView.as_view(), name="calls"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/", views.FollowUpDetailView.as_view(), name="follow_up"),
    path("booths/", views.BoothListView.as_view(), name="booths"),
    path("booths/<int:pk>/", views.BoothDetailView.as_view(), name="booth"),
    path("dashboard/overview/", views.DashboardOverviewView.as_view(), name="dashboard_overview"),
    path("dashboard/<slug:board>/", views.DashboardTableView.as_view(), name="dashboard_table"),
]

urlpatterns = [
    *(path(f"v1/{pattern.pattern}", pattern.callback, name=pattern.name) for pattern in v1),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
