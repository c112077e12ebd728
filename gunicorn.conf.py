"""Gunicorn's settings for this app (read from the working directory by default)."""

# The access log to standard output, with sign-in links shown as /s/… (a link
# signs its caller in for the day: whoever reads the log must not be able to).
accesslog = "-"
logger_class = "outreach.gunicorn_logging.MaskedLinksLogger"
