"""People managed in the portal: accounts with one-time passwords, roles from the registry,
and a list of people imported from Excel with each row's errors."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments import roles
from departments.contact import contact_email
from departments.models import Account, Membership
from departments.services import user_create, user_reset_password
from tasks.intake.services import people_import

from .. import factories
from ..intake.test_task_sheet import workbook_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin_user():
    return factories.with_role(roles.SECURITY_ADMINISTRATOR, username="accounts_admin")


def test_a_new_account_must_choose_its_own_password_before_anything_else(client):
    office = factories.department("基础教育科")
    user, password = user_create(username="zhangsan", full_name="张三", memberships=[(office, Membership.Role.HEAD)],
                                 role_names=[roles.LEADER])
    assert Membership.objects.get(user=user).role == Membership.Role.HEAD
    assert roles.roles_of(User.objects.get(pk=user.pk)) == {roles.LEADER}

    assert client.post(reverse("login"), {"username": "zhangsan", "password": password}).status_code == 302
    response = client.get(reverse("tasks:my_tasks"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    new = "Zhangsan-2030-x"
    response = client.post(reverse("password_change"),
                           {"old_password": password, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get(reverse("tasks:my_tasks")).status_code == 200
    assert not Account.objects.get(user=user).must_change_password


def test_a_reset_password_ends_the_old_one(client):
    user = factories.UserFactory(username="lisi")
    temporary = user_reset_password(user=user)
    login = reverse("login")
    assert client.post(login, {"username": "lisi", "password": factories.TEST_PASSWORD}).status_code == 200
    assert client.post(login, {"username": "lisi", "password": temporary}).status_code == 302
    assert Account.objects.get(user=user).must_change_password


def test_the_people_pages_create_edit_and_reset(client, admin_user):
    office = factories.department("德育科")
    client.force_login(admin_user)
    response = client.post(reverse("departments:person_create"), {
        "username": "wangwu", "full_name": "王五", "email": "", "phone": "13800000000",
        "units": [office.pk], "roles": [roles.SUPERVISOR]})
    assert response.status_code == 200 and response.context["password"]
    person = User.objects.get(username="wangwu")
    assert person.account.phone == "13800000000"

    response = client.post(reverse("departments:person_create"), {"username": "WangWu", "full_name": "重名"})
    assert response.status_code == 400 and User.objects.filter(username__iexact="wangwu").count() == 1

    edit = reverse("departments:person_edit", kwargs={"pk": person.pk})
    response = client.post(edit, {"full_name": "王五", "email": "w@example.cn", "phone": "", "head_of": [office.pk],
                                  "roles": [], "is_active": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active and roles.roles_of(person) == frozenset()
    assert Membership.objects.get(user=person).role == Membership.Role.HEAD

    assert client.post(edit, {"action": "reset_password"}).status_code == 200
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    assert client.get(reverse("departments:person_edit", kwargs={"pk": superuser.pk})).status_code == 403


def people_file(rows):
    return workbook_bytes([["四平市教育局人员名单"], ["姓名", "用户名", "单位", "角色", "手机", "邮箱"], *rows])


def test_a_people_list_with_errors_creates_nobody_and_says_which_row(admin_user):
    factories.department("基础教育科", short_name="基教科")
    factories.UserFactory(username="taken")
    result = people_import(handle=people_file([
        ["赵一", "zhaoyi", "基教科", "科长", "13900000001", "zhao@example.cn"],
        ["钱二", "taken", "基础教育科", "科员", "", ""],
        ["孙三", "sunsan", "不存在科", "科员", "123", "not-an-email"],
        ["李四", "zhaoyi", "", "局领导", "", ""],
    ]), dry_run=False)
    assert not result.applied and result.error_count == 3
    errors = {row.line: " ".join(row.errors) for row in result.rows}
    assert errors[3] == ""
    assert "taken" in errors[4]
    assert "不存在科" in errors[5] and "123" in errors[5] and "not-an-email" in errors[5]
    assert "3" in errors[6], "the duplicate names the row it repeats"
    assert not User.objects.filter(username__in=["zhaoyi", "sunsan"]).exists()


def test_a_clean_people_list_is_created_whole(client, admin_user):
    office = factories.department("基础教育科", short_name="基教科")
    upload = SimpleUploadedFile("people.xlsx", people_file([
        ["赵一", "zhaoyi", "基教科", "科长", "13900000001", "zhao@example.cn"],
        ["李四", "lisi", "", "局领导", "", ""],
    ]).getvalue(), content_type=XLSX)
    client.force_login(admin_user)
    url = reverse("intake:people_import")
    preview = client.post(url, {"action": "upload", "file": upload})
    assert preview.status_code == 200 and not User.objects.filter(username="zhaoyi").exists()
    token = preview.context["token"]
    done = client.post(url, {"action": "confirm", "token": token})
    assert done.status_code == 200 and done.context["result"].applied
    assert Membership.objects.get(user__username="zhaoyi").department == office
    assert Membership.objects.get(user__username="zhaoyi").role == Membership.Role.HEAD
    assert roles.roles_of(User.objects.get(username="lisi")) == {roles.LEADER}
    assert Account.objects.filter(must_change_password=True).count() == 2


def test_an_account_added_in_the_admin_goes_through_the_service(client):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    password = "Zhao-2030-admin"
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "zhaoliu", "password1": password, "password2": password, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="zhaoliu")
    assert user.check_password(password)
    assert Account.objects.get(user=user).must_change_password, "the typed password is one-time"
    response = client.post(reverse("admin:auth_user_change", args=[user.pk]), {
        "username": "zhaoliu", "first_name": "赵六", "last_name": "", "email": "z@example.cn", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "08:00:00"})
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert (user.first_name, contact_email(user), user.email) == ("赵六", "z@example.cn", ""), "kept encrypted"
