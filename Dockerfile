FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs settings, not secrets: a throwaway key for the build step only.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput && \
    SECRET_KEY=build-only python manage.py compilemessages --ignore '*/site-packages/*'
# /app/media exists (owned by the app) before a volume is mounted on it, so the volume takes its owner.
RUN useradd --system --home /app booths && mkdir -p /app/media && chown -R booths /app
USER booths
EXPOSE 8000
