# Production image: gunicorn for the web, the same image runs the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
# WeasyPrint needs Pango and fonts; DejaVu covers French typography.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY vae_portal ./vae_portal
COPY accounts ./accounts
COPY certifications ./certifications
COPY dossiers ./dossiers
COPY juries ./juries
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home vae && mkdir -p /data && chown vae /data
USER vae
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "vae_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
