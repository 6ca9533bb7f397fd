"""python manage.py render_nginx_site > /etc/nginx/sites-available/siping-edu — deploy/nginx, filled in."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.deploy_config import render_nginx_site


class Command(BaseCommand):
    help = "Print the nginx site for this installation, from deploy/nginx and the environment (docs/DEPLOY.md)."

    def handle(self, *args, **options):
        upstreams = [address.strip() for address in os.environ.get("WEB_UPSTREAMS", "127.0.0.1:8001").split(",")
                     if address.strip()]
        try:
            text = render_nginx_site(
                upstreams=upstreams,
                server_name=os.environ.get("NGINX_SERVER_NAME", "_"),
                http_listen=os.environ.get("NGINX_HTTP_LISTEN", "80"),
                https_listen=os.environ.get("NGINX_HTTPS_LISTEN", "443"),
                tls_certificate=os.environ.get("TLS_CERTIFICATE", "/etc/ssl/siping-edu/fullchain.pem"),
                tls_certificate_key=os.environ.get("TLS_CERTIFICATE_KEY", "/etc/ssl/siping-edu/privkey.pem"),
                static_root=settings.STATIC_ROOT,
                access_log=os.environ.get("NGINX_ACCESS_LOG", "/var/log/nginx/siping-edu.access.log"),
                object_storage_endpoint=os.environ.get("OBJECT_STORAGE_ENDPOINT_URL", "")
                if settings.FILE_DOWNLOADS == "redirect" else "",
            )
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(text, ending="")
