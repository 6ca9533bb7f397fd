"""deploy/ stays complete: the environment template names every setting the portal reads, and the
nginx site renders with no value left unfilled."""

import re

from django.conf import settings

from ops.deploy_config import PLACEHOLDER, render_nginx_site


def test_the_environment_template_lists_every_variable_the_portal_reads():
    read = {name for part in (settings.BASE_DIR / "siping_edu" / "settings").glob("*.py")
            for name in re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', part.read_text())}
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (settings.BASE_DIR / "deploy" / "gunicorn.conf.py").read_text()))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"',
                           (settings.BASE_DIR / "ops" / "management" / "commands" / "render_nginx_site.py").read_text()))
    template = (settings.BASE_DIR / "deploy" / "siping-edu.env.template").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", template, re.M))
    assert len(read) > 60
    assert read - listed == set(), "add these to deploy/siping-edu.env.template"


def test_the_nginx_site_renders_with_and_without_object_storage(tmp_path):
    common = {"upstreams": ["10.0.0.11:8001", "10.0.0.12:8001"], "tls_certificate": "/c.pem",
              "tls_certificate_key": "/k.pem", "static_root": tmp_path}
    plain = render_nginx_site(**common)
    assert not PLACEHOLDER.search(plain) and "server 10.0.0.12:8001 max_fails=2" in plain
    assert "/objects/" not in plain and "siping_edu_objects" not in plain
    with_bucket = render_nginx_site(**common, object_storage_endpoint="http://10.0.0.41:9000")
    assert "proxy_set_header Host 10.0.0.41:9000;" in with_bucket and "location /objects/" in with_bucket
    assert "proxy_set_header X-Request-ID $request_id;" in with_bucket
