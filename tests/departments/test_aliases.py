"""Units' other names: kept in the portal, one name to one unit, edited by the supervision office."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from departments.models import DepartmentAlias
from departments.services import department_set_aliases

from .. import factories

pytestmark = pytest.mark.django_db


def test_aliases_are_replaced_and_never_point_to_two_units():
    basic = factories.department("基础教育科")
    other = factories.department("督导室")
    assert department_set_aliases(department=basic, names=["基教科", "基础科", "基教科"]) == ["基教科", "基础科"]
    department_set_aliases(department=basic, names=["基教科"])
    assert list(basic.aliases.values_list("name", flat=True)) == ["基教科"]
    with pytest.raises(ValidationError, match="基础教育科"):
        department_set_aliases(department=other, names=["基教科"])
    with pytest.raises(ValidationError, match="名称"):
        department_set_aliases(department=other, names=["基础教育科"])
    assert DepartmentAlias.objects.count() == 1


def test_the_page_saves_and_keeps_what_was_typed_when_refused(client, supervisor_user, lead_staff, lead_department):
    basic = lead_department
    other = factories.department("督导室")
    url = reverse("departments:aliases")
    client.force_login(lead_staff)
    assert client.get(url).status_code == 403
    client.force_login(supervisor_user)
    assert client.post(url, {"department": basic.pk, "aliases": "基教科、基础科"}).status_code == 302
    assert set(basic.aliases.values_list("name", flat=True)) == {"基教科", "基础科"}
    refused = client.post(url, {"department": other.pk, "aliases": "督导、基教科"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "督导、基教科" in page and "已是基础教育科的别名" in page
    assert not other.aliases.exists()
