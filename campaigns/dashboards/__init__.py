"""The leadership dashboards: who is calling, booth health, needs, roster health,
within each viewer's territory (`campaigns.access`)."""
