"""How the REST API knows who calls: an integration account's token (`Authorization: Bearer
<key>`), limited to reading when its scope says so."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, serializers
from django.utils.translation import gettext_lazy as _

from .models import Department, IntegrationToken
from .permissions import token_permits
from .services import integration_token_check


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as “Authorization: Bearer <key>”."))
        token = integration_token_check(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("The key is not valid, or has been revoked or has expired."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScopePermission(permissions.BasePermission):
    message = _("This key may only read.")

    def has_permission(self, request, view):
        token = request.auth if isinstance(request.auth, IntegrationToken) else None
        return token_permits(token, request.method)


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An integration account's key."}


class UnitSerializer(serializers.ModelSerializer):
    """A unit as other records name it: {id, name}."""

    class Meta:
        model = Department
        fields = ["id", "name"]
