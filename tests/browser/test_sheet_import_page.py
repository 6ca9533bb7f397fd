"""The supervision office imports a ledger: preview shows one error, the file is fixed, then confirmed."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tasks.models import Task

from .. import factories
from ..intake.test_sheet_import import GOOD_ROWS, ledger_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def test_upload_preview_fix_and_confirm(page, live_server, transactional_db):
    for name in ["宣传科", "机关党委", "德育科", "基础教育科", "督导室", "教研室"]:
        factories.department(name)
    factories.leader(first_name="王建国")
    factories.supervisor(username="supervisor")
    bad = [row[:] for row in GOOD_ROWS]
    bad[1][8] = "尽快"

    page.goto(f"{live_server.url}/accounts/login/?next=/imports/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("从 Excel 导入任务")

    page.get_by_label("年度").fill("2022")
    page.get_by_label("Excel 任务分解表（.xlsx）").set_input_files(
        [{"name": "2022年任务分解表.xlsx", "mimeType": "application/octet-stream", "buffer": ledger_file(bad).getvalue()}]
    )
    page.get_by_role("button", name="预览").click()
    error_row = page.locator("tr.import-row--error")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text("第4行「完成时限」：“尽快”不是可识别的完成时限")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "import-preview-error.png", full_page=True)
    assert not Task.objects.exists()

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("年度").fill("2022")
    page.get_by_label("Excel 任务分解表（.xlsx）").set_input_files(
        [{"name": "2022年任务分解表.xlsx", "mimeType": "application/octet-stream", "buffer": ledger_file(GOOD_ROWS).getvalue()}]
    )
    page.get_by_role("button", name="预览").click()
    expect(page.locator("tr.import-row--new")).to_have_count(3)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "import-preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成：新增 3 项，修改 0 项，无变化 0 项。")).to_be_visible()
    expect(page.locator("tr.task-row")).to_have_count(3)
    assert Task.objects.filter(plan__year=2022).count() == 3
