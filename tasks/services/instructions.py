"""Leaders' instructions (批示) and the lead office's replies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.selectors import department_members
from tasks.models import Instruction, InstructionReply

from .common import model_save, notify, task_url


@transaction.atomic
def instruction_write(*, task, text, actor, reply_by=None):
    if not text.strip():
        raise ValidationError({"text": _("Write the instruction.")})
    if reply_by is not None and reply_by < timezone.localdate():
        raise ValidationError({"reply_by": _("The reply date cannot be in the past.")})
    instruction = Instruction(task=task, author=actor, text=text.strip(), reply_by=reply_by)
    model_save(instruction, actor=actor)
    notify(
        recipients=department_members(*task.lead_departments),
        message=_("%(leader)s wrote an instruction on “%(task)s”: %(text)s")
        % {"leader": actor.get_full_name() or actor.username, "task": task.title, "text": instruction.text},
        task=task,
        url=task_url(task, anchor=f"instruction-{instruction.pk}"),
    )
    return instruction


@transaction.atomic
def instruction_reply(*, instruction, text, actor):
    if not text.strip():
        raise ValidationError({"text": _("Write the reply.")})
    reply = InstructionReply(instruction=instruction, author=actor, text=text.strip())
    model_save(reply, actor=actor)
    task = instruction.task
    notify(
        recipients=[instruction.author],
        message=_("%(department)s replied to your instruction on “%(task)s”: %(text)s")
        % {"department": task.lead_department.display_name, "task": task.title, "text": reply.text},
        task=task,
        url=task_url(task, anchor=f"instruction-{instruction.pk}"),
    )
    return reply


@transaction.atomic
def instructions_mark_read(*, task, actor):
    """已阅: the lead office has seen the task's instructions. Called when one of its members opens
    the task; only the first reading is recorded, so the leader sees when the office first saw it."""
    unread = list(task.instructions.select_for_update().filter(read_at=None))
    now = timezone.now()
    for instruction in unread:
        instruction.read_at, instruction.read_by = now, actor
        model_save(instruction, actor=actor, update_fields=["read_at", "read_by"])
    return len(unread)
