"""督办通知: numbered notices from the supervision office to a task's lead unit."""

import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.selectors import department_members
from tasks.documents import bureau_document, xml_safe
from tasks.formats import chinese_date
from tasks.models import SupervisionNotice
from tasks.status_store import status_of

from .common import notify, notify_units, task_url


def supervision_notice_issue(*, task, actor, requirements, reply_by=None):
    """Number the notice (督办〔year〕n号, n counting the year's notices), record it and tell the
    lead units' members, the responsible leader and the units' group robots. Two notices issued at
    the same moment take different numbers."""
    if not requirements.strip():
        raise ValidationError({"requirements": _("Say what the unit must do.")})
    if reply_by is not None and reply_by < timezone.localdate():
        raise ValidationError({"reply_by": _("The reply-by date cannot be earlier than today.")})
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                serial = (SupervisionNotice.objects.filter(year=year).aggregate(last=Max("serial"))["last"] or 0) + 1
                notice = SupervisionNotice.objects.create(task=task, year=year, serial=serial, issued_by=actor,
                                                          requirements=requirements.strip(), reply_by=reply_by)
                message = _("%(number)s on “%(task)s”: %(requirements)s") % {
                    "number": notice.number, "task": task.title, "requirements": notice.requirements}
                if reply_by:
                    message += _(" Reply by %(date)s.") % {"date": chinese_date(reply_by)}
                url = task_url(task, anchor="notices")
                notify(recipients=[*department_members(*task.lead_departments), task.responsible_leader],
                       message=message, task=task, url=url)
                notify_units(departments=task.lead_departments, message=message, url=url)
                return notice
        except IntegrityError:
            continue  # someone took this number meanwhile: take the next
    raise ValidationError(_("The notice could not be numbered; try again."))


def supervision_notice_document(notice):
    """The notice as a Word document in the bureau's layout: title, 文号, addressee, body, the
    task's standing, the requirements and the reply-by date, issuer and date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    task = notice.task
    status = status_of(task, on=timezone.localdate())
    document = bureau_document(body_size=16)
    title = document.add_heading("督办通知", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph(notice.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(xml_safe(f"{task.lead_names}："))
    deadline = task.deadline_text or (chinese_date(task.deadline) if task.deadline else "未定")
    body = []
    body.append(document.add_paragraph(xml_safe(
        f"《{task.plan.title}》第{task.display_number}项“{task.title}”由你单位牵头落实，完成时限为{deadline}。"
        f"截至{chinese_date(timezone.localdate())}，该项任务状态为“{status.label}”"
        + (f"（{status.reason}）" if status.reason else "") + f"，当前进度{task.percent_complete}%。")))
    body.append(document.add_paragraph(xml_safe(f"现提出以下督办要求：{notice.requirements}")))
    if notice.reply_by:
        body.append(document.add_paragraph(f"请于{chinese_date(notice.reply_by)}前将落实情况书面报送督查室。"))
    else:
        body.append(document.add_paragraph("请抓紧落实，并将落实情况及时报送督查室。"))
    if task.responsible_leader:
        body.append(document.add_paragraph(
            xml_safe(f"分管领导：{task.responsible_leader.get_full_name() or task.responsible_leader}")))
    for paragraph in body:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters, as 公文 body text
    for text in (task.plan.issuing_body or "", "督查室", chinese_date(timezone.localtime(notice.issued_at).date())):
        if text:
            signature = document.add_paragraph(xml_safe(text))
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    handle = io.BytesIO()
    document.save(handle)
    handle.seek(0)
    return handle, f"{notice.number}-{task.display_number}.docx"
