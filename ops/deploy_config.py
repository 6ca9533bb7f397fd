"""The nginx site of deploy/nginx, filled in for one installation.

The template's @@NAME@@ values come from the environment file (docs/DEPLOY.md); the blocks
between "@@IF_OBJECT_STORAGE@@" and "@@END_IF_OBJECT_STORAGE@@" stay only with object storage.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "siping-edu.conf.template"
PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
OBJECT_STORAGE_BLOCK = re.compile(r"^# @@IF_OBJECT_STORAGE@@\n(.*?)^# @@END_IF_OBJECT_STORAGE@@\n", re.S | re.M)


def render_nginx_site(*, upstreams, server_name="_", http_listen="80", https_listen="443",
                      tls_certificate, tls_certificate_key, static_root, access_log="/var/log/nginx/siping-edu.access.log",
                      object_storage_endpoint=""):
    """The site configuration as text; `upstreams` are the web hosts' "address:port"."""
    if not upstreams:
        raise ValueError("at least one web host (address:port) is needed")
    object_storage_host = urlsplit(object_storage_endpoint).netloc if object_storage_endpoint else ""
    text = TEMPLATE.read_text()
    text = OBJECT_STORAGE_BLOCK.sub(lambda match: match.group(1) if object_storage_host else "", text)
    values = {
        # A host that fails twice is rested 10 s; the proxy tries the next one meanwhile.
        "UPSTREAM_SERVERS": "\n".join(f"    server {address} max_fails=2 fail_timeout=10s;" for address in upstreams),
        "SERVER_NAME": server_name,
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "TLS_CERTIFICATE": tls_certificate,
        "TLS_CERTIFICATE_KEY": tls_certificate_key,
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "ACCESS_LOG": access_log,
        "OBJECT_STORAGE_HOST": object_storage_host,
    }
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise ValueError(f"the template names values this renderer does not know: {missing}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
