"""Two-factor authentication in the browser with a real TOTP device: enrolment from the page's
key, recovery codes shown once, and the code asked at the next login."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from .. import factories
from .test_report_workflow import SHOTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.two_factor, pytest.mark.django_db(transaction=True)]


def code_for(secret, drift=0):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=drift):06d}"


def password_step(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("sun")
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_supervisor_enrols_an_authenticator_and_signs_in_with_it(page, live_server, transactional_db):
    factories.supervisor(username="sun", first_name="孙督查")
    password_step(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("设置双因素认证")
    expect(page.locator(".otp-qr svg")).to_be_visible()
    secret = page.locator(".otp-secret").inner_text().strip()
    SHOTS.mkdir(exist_ok=True)
    shot(page, "otp-setup")
    page.get_by_label("验证码").fill(code_for(secret))
    page.get_by_role("button", name="确认").click()
    codes = page.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审核")

    page.get_by_role("button", name="退出登录").click()
    password_step(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("双因素验证")
    page.get_by_label("验证码").fill(code_for(secret, drift=1))  # the next step: the last code is spent
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile("/review/"))
