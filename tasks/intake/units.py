"""Who owns a task, as documents and ledgers write it: owner notes and lists of units.

Owner notes are the parenthesised remarks bureaus put after a task or a sentence:

    （牵头单位：市委组织部；配合单位：市国资委）   （牵头单位：A，配合单位：B）
    （A牵头，B、C配合）   （A、B负责）   （A、B按职责分工负责）
    （负责部门：住房城乡建设部；适用范围：…）   （责任单位：…）   （责任科室：…）
    （人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）

A note is found by scanning for balanced brackets (no backtracking regex over the text), then
its clauses are read one by one. Units named as responsible (负责) all lead, unless the document
says the first-listed one leads (列第一位者为牵头单位), which then holds for the rest of it.
"""

import functools
import re
from dataclasses import dataclass, field

from departments.units import NAME_SEPARATORS

OPEN, CLOSE = "（(", "）)"
LEAD_LABELS = ("牵头单位", "牵头部门", "牵头科室", "牵头处室")
COOPERATING_LABELS = ("配合单位", "配合部门", "配合科室", "协办单位", "参与单位", "协助单位")
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "责任科室", "责任处室", "负责单位", "负责部门", "承办单位", "主办单位")
OTHER_LABELS = ("适用范围", "完成时限", "完成时间", "时间要求")
LABEL = re.compile(
    "(" + "|".join(LEAD_LABELS + COOPERATING_LABELS + RESPONSIBLE_LABELS + OTHER_LABELS) + r")\s*[:：]"
)
# "the first-listed unit leads" in its usual wordings: 列第一位者为牵头单位, 排在第一位的部门为牵头部门.
FIRST_LISTED_LEADS = re.compile(r"(?:列|排|排在|排名)(?:在)?第一(?:位)?的?(?:者|单位|部门)?(?:为|是)牵头")
VERBS = [  # (role, pattern of the verb that ends a part of a note)
    ("leads", re.compile(r"(?:共同)?牵头(?:负责)?$")),
    ("cooperating", re.compile(r"(?:配合|参与|协助|协办)(?:实施)?$")),
    ("responsible", re.compile(r"(?:按职责分工|按照职责分工|分别|共同)?负责$")),
]
UNIT_SEPARATORS = NAME_SEPARATORS
# "…等有关部门和单位" names no unit; "各有关部门和单位" (a collective owner) is kept as written.
TAIL = re.compile(r"等(?:有关|相关)?(?:部门|单位|机构)(?:和|及)?(?:单位|部门)?$")
COLLECTIVE_PREFIXES = ("各", "有关", "相关")
# After 各…, a bare administrative level continues the collective: 各区、县级市.
LEVEL_WORDS = re.compile(r"^(?:省|市|县|区|旗|乡|镇|街道|县级市|地级市|自治区|直辖市|自治州|自治县|地区|盟|学校|高校|幼儿园)$")
UNIT_SUFFIX = re.compile(r"(?:部|局|委|办|院|厅|署|会|行|府|室|科|处|中心|集团|公司|校|所|站|队|团|社|馆|组)$")


@dataclass
class OwnerNote:
    start: int  # offsets of the whole note, brackets included, in the text it was found in
    end: int
    leads: list = field(default_factory=list)
    cooperating: list = field(default_factory=list)
    responsible: list = field(default_factory=list)
    first_listed_leads: bool = False


def bracketed_spans(text):
    """(start, end) of each top-level bracketed part, nested brackets included."""
    spans, depth, start = [], 0, None
    for index, char in enumerate(text):
        if char in OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif char in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    return spans


def split_units(text):
    """Unit names from a list as written: 、，, ； / and line breaks separate, never inside
    brackets (各县（市、区）); tails like 等有关部门 are dropped; 各区、县级市 stays one owner."""
    return list(_split_units(str(text or "")))


SEPARATORS = re.compile("[" + re.escape(UNIT_SEPARATORS) + "]")


@functools.lru_cache(maxsize=8192)
def _split_units(text):
    # Ledgers repeat the same few unit lists on thousands of rows: each is read once.
    if not any(char in OPEN for char in text):
        parts = SEPARATORS.split(text)
    else:
        parts, depth, current = [], 0, []
        for char in text:
            if char in OPEN:
                depth += 1
            elif char in CLOSE and depth:
                depth -= 1
            if char in UNIT_SEPARATORS and depth == 0:
                parts.append("".join(current))
                current = []
            else:
                current.append(char)
        parts.append("".join(current))
    units = []
    for part in parts:
        name = part.strip().strip("。")
        name = re.sub(r"^(?:由|请)", "", name)
        name = re.sub(r"(?:按职责分工|按照职责分工|分别|共同)$", "", name).strip()
        name = TAIL.sub("", name).strip()
        if not name:
            continue
        if units and is_collective(units[-1]) and LEVEL_WORDS.match(name):
            units[-1] += "、" + name
        elif name not in units:
            units.append(name)
    return tuple(units)


def is_collective(name):
    """各县（市、区）, 各有关部门和单位, 有关高校: an owner that is not one unit of the portal."""
    return name.startswith(COLLECTIVE_PREFIXES)


def _verb(part):
    for role, pattern in VERBS:
        match = pattern.search(part)
        if match and match.start() > 0:
            return role, match.group(0)
    return None, ""


def _clauses(inner):
    return [clause.strip() for clause in re.split(r"[。；;]", inner) if clause.strip()]


def read_owner_note(inner):
    """The owners a note's inner text names, or None when it is not an owner note."""
    note = OwnerNote(0, 0)
    found = False
    for clause in _clauses(inner):
        if FIRST_LISTED_LEADS.search(clause):
            note.first_listed_leads = found = True
            # "A、B负责，排在第一位的部门为牵头部门，下同": the units come before the rule.
            clause = re.split(r"[，,](?=[^，,]*(?:第一))", clause)[0]
            if FIRST_LISTED_LEADS.search(clause):
                continue
        labelled = list(LABEL.finditer(clause))
        if labelled:
            for index, match in enumerate(labelled):
                end = labelled[index + 1].start() if index + 1 < len(labelled) else len(clause)
                value = clause[match.end():end].strip().rstrip("，,")
                label = match.group(1)
                if label in LEAD_LABELS:
                    note.leads += split_units(value)
                elif label in COOPERATING_LABELS:
                    note.cooperating += split_units(value)
                elif label in RESPONSIBLE_LABELS:
                    note.responsible += split_units(value)
                found = True
            continue
        # "A、B，C按职责分工负责": units before a comma share the verb that ends the next part.
        pending = []
        for part in re.split(r"[，,]", clause):
            part = part.strip()
            role, verb = _verb(part)
            if role is None:
                pending.append(part)
                continue
            names = split_units("、".join([*pending, part[:len(part) - len(verb)]]))
            pending = []
            getattr(note, role).extend(names)
            found = found or bool(names)
    if not found or not (note.leads or note.cooperating or note.responsible or note.first_listed_leads):
        return None
    if any(len(name) > 40 for name in note.leads + note.cooperating + note.responsible):
        return None  # prose in brackets, not a list of units
    return note


def find_owner_notes(text):
    """Every owner note in a task's text, in order."""
    notes = []
    for start, end in bracketed_spans(text):
        note = read_owner_note(text[start + 1:end - 1])
        if note is not None:
            note.start, note.end = start, end
            notes.append(note)
    return notes


@dataclass
class Owners:
    leads: list = field(default_factory=list)
    cooperating: list = field(default_factory=list)

    def extend(self, names, *, lead):
        for name in names:
            if name in self.leads or name in self.cooperating:
                continue
            (self.leads if lead else self.cooperating).append(name)


def owners_from_notes(notes, *, first_listed_leads):
    """Merge a task's notes in order without repeats. Responsible units all lead, unless the
    document's rule makes the first-listed unit the lead and the others cooperate."""
    owners = Owners()
    for note in notes:
        owners.extend(note.leads, lead=True)
        if first_listed_leads and note.responsible:
            owners.extend(note.responsible[:1], lead=not owners.leads)
            owners.extend(note.responsible[1:], lead=False)
        else:
            owners.extend(note.responsible, lead=True)
        owners.extend(note.cooperating, lead=False)
    return owners
