FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY apps ./apps
RUN pip install --no-cache-dir -e .
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=http://build EMAIL_HOST=build python manage.py collectstatic --noinput -v0
RUN useradd --create-home att && chown -R att /app
USER att
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
