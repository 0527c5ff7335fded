"""Which models hold personal data, and how to find one person's rows in each.

Every model of Bryggan is either listed in ``HOLDINGS`` (covered by the data-subject export,
the erasure and the retention purge, which all read this list) or in ``EXCLUDED`` with the
reason. tests/privacy/test_subject_rights.py fails when a model is in neither, so a new model
cannot quietly escape the rules.

The same classification decides which reads go to the access log (``logged_subject``): the
one gate for reads (core/gate.py) logs a read of any model that holds personal data here,
and of the staff register. It lives in core, below every app, because every app's
selectors ask it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet

from bryggan.core.models import Person


@dataclass(frozen=True)
class Holding:
    label: str  # "app_label.ModelName"
    to_person: str  # ORM path from the model to its Person ("pk" for Person itself)
    # Fields left out of the export: secrets and internal storage names, not the person's data.
    secret_fields: tuple[str, ...] = ()
    # The access log's name for a read of this model ("" = the model's name).
    log_as: str = ""

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    def rows_for(self, person: Person) -> QuerySet:
        manager = getattr(self.model, "unscoped", self.model._default_manager)
        if self.to_person == "pk":
            return manager.filter(pk=person.pk)
        if self.to_person == "email":
            # Sign-ups carry an e-mail address, not a Person: the person's municipality is
            # named so that the same address in another municipality is not theirs.
            if not person.email:
                return manager.none()
            return manager.filter(
                event__municipality_id=person.municipality_id, email__iexact=person.email
            )
        return manager.filter(**{self.to_person: person})


# Children before parents: the erasure deletes in this order.
HOLDINGS: list[Holding] = [
    # A joint round's regional records: what links the municipality's application to the
    # student's one application (its wishes across municipalities, where the result goes).
    Holding("regional.JointWish", "part__application__person"),
    Holding("regional.JointPart", "application__person"),
    Holding("regional.JointApplication", "parts__application__person", ("link_nonce",)),
    Holding("matching.MatchingOverride", "application__person"),
    Holding("matching.MatchingConstraint", "application__person"),
    Holding("matching.UnitRankingEntry", "application__person"),
    Holding("recruitment.Interview", "application__person", ("uid",)),
    Holding("recruitment.Assessment", "application__person"),
    Holding("recruitment.ApplicationNote", "application__person"),
    Holding("recruitment.StageChange", "application__person"),
    Holding("recruitment.Document", "application__person", ("storage_name",)),
    Holding("recruitment.ApplicationWish", "application__person"),
    Holding("recruitment.Application", "person", ("link_nonce",)),
    Holding("recruitment.EventRegistration", "email"),
    Holding("programme.UniversityAssessment", "participant__person", log_as="assessment"),
    Holding("programme.Thesis", "participant__person"),
    Holding("programme.SupervisionSession", "participant__person"),
    Holding("programme.TaskSignOff", "participant__person"),
    Holding("programme.HoursReminder", "participant__person"),
    Holding("programme.HoursEntry", "participant__person"),
    Holding("programme.Offer", "participant__person"),
    Holding("programme.EmploymentPeriod", "participant__person"),
    Holding("programme.StageMove", "participant__person"),
    Holding("programme.Participant", "person"),
    Holding("programme.Placement", "person"),
    Holding("core.Person", "pk"),
]

_NO_PERSONAL_DATA = "no personal data: the municipality's organisation or programme set-up"

EXCLUDED: dict[str, str] = {
    "core.Municipality": _NO_PERSONAL_DATA,
    "organisation.Department": _NO_PERSONAL_DATA,
    "organisation.Unit": _NO_PERSONAL_DATA,
    "organisation.University": _NO_PERSONAL_DATA,
    "organisation.Programme": _NO_PERSONAL_DATA,
    "organisation.Term": _NO_PERSONAL_DATA,
    "organisation.PracticumPeriod": _NO_PERSONAL_DATA,
    "recruitment.Round": _NO_PERSONAL_DATA,
    "recruitment.ScoreCriterion": _NO_PERSONAL_DATA,
    "recruitment.Posting": _NO_PERSONAL_DATA,
    "recruitment.InterviewSlot": _NO_PERSONAL_DATA,
    "recruitment.InformationEvent": _NO_PERSONAL_DATA,
    "programme.HoursRules": _NO_PERSONAL_DATA,
    "programme.TaskItem": _NO_PERSONAL_DATA,
    "recruitment.RejectionBatch": (
        "pseudonymous: application ids and the stages they had before a bulk rejection, which "
        "point to nothing once an application is erased; the person's own record of the move "
        "is their StageChange; removed a month after its e-mails left or it was undone"
    ),
    "demo.OutboxMessage": (
        "the demo's outbox: e-mails to made-up people, kept only when the demo's e-mail "
        "backend is on (never in production), newest 2,000"
    ),
    "matching.MatchingRun": (
        "pseudonymous: the instance and result hold application ids only, which point to "
        "nothing once an application is erased"
    ),
    "core.User": (
        "sign-in accounts of staff, managed by the site administrator; a student's account is "
        "deactivated and stripped of name and e-mail by the erasure of their participant path"
    ),
    "core.Membership": "a user's roles; removed with the account (see core.User)",
    "identity.IdentityProvider": (
        "a municipality's single sign-on set-up; its break-glass account is a user (see core.User)"
    ),
    "identity.GroupMapping": _NO_PERSONAL_DATA,
    "identity.PendingSignIn": "a SAML request's random id for ten minutes; no one's data",
    "identity.ExternalAccount": (
        "which provider account (an opaque subject id) signs in as which user; removed with "
        "the account (see core.User)"
    ),
    "core.ApiToken": "hashed sign-in tokens; removed with the account (see core.User)",
    "core.ThrottleEvent": "keyed hashes of addresses and e-mails, no values; removed after a day",
    "core.AccessLogEntry": (
        "the record of who read whose data must outlive the data (the DPO's evidence); it "
        "holds the person's id only, no name, and is included in the person's export"
    ),
    "organisation.StaffMember": (
        "the staff register: employees are not Person rows, so not in a person's export; "
        "anonymised by the retention kind 'staff who have left' under the archive rules"
    ),
    "organisation.SupervisorCapacity": "a staff member's places per term (see StaffMember)",
    "privacy.RetentionPolicy": _NO_PERSONAL_DATA,
    "introduction.IntroductionProgramme": _NO_PERSONAL_DATA,
    "introduction.Area": _NO_PERSONAL_DATA,
    "specialists.Topic": _NO_PERSONAL_DATA,
    "specialists.SpecialistRole": _NO_PERSONAL_DATA,
    "specialists.RoleHolder": "who holds a specialist role since when (see StaffMember)",
    "specialists.Consultation": (
        "a colleague's question and the specialist's answer, with no client in them (a "
        "personnummer is refused); the asker is a user (see core.User)"
    ),
    "specialists.KnowledgeNote": (
        "practice knowledge, with no client in it (a personnummer is refused)"
    ),
    "specialists.NoteVersion": "earlier versions of a knowledge note; the author is a user",
    "specialists.LegalUpdate": _NO_PERSONAL_DATA,
    "specialists.DigestSetting": "a user's choice of one e-mail a day (see core.User)",
    "specialists.Acknowledgement": "that a user has read an update, and when (see core.User)",
    "introduction.UnitPlaces": "a unit's places for new hires, by trainer (see StaffMember)",
    "introduction.Cohort": _NO_PERSONAL_DATA,
    "introduction.CohortMember": (
        "a new hire's place in the broad introduction: staff register data (see StaffMember), "
        "removed with the staff member; reads are logged as 'new hire'"
    ),
    "introduction.Absence": "a trainer's or supervisor's absence dates (see StaffMember)",
    "introduction.Block": "a new hire's weeks at a unit with a supervisor (see CohortMember)",
    "introduction.ScheduleChange": "what a re-plan changed for a new hire (see CohortMember)",
    "privacy.LegalHold": "a reference to a person's id and the case; no personal data itself",
    "privacy.DataSubjectRequest": (
        "the record that a request was handled: the person's id, the reference and counts, "
        "no name or contact details"
    ),
    "privacy.PurgeRun": "what a purge removed: counts per kind, no personal data",
    "privacy.RemovedApplication": "anonymised counts that keep the funnel figures",
    "regional.JointRound": "a joint round's days and kind of place: no one's data",
    "regional.JointMember": "which municipality takes part with which posting: no one's data",
    "insights.UnitMonth": "a unit's sick leave and caseload for a month: no one's data",
    "insights.PendingImport": (
        "an HR file's checked rows until the coordinator confirms it (staff register data, "
        "see StaffMember): emptied by the import, removed after a day by insights_refresh"
    ),
    "insights.HiringNeed": _NO_PERSONAL_DATA,
    "insights.Survey": _NO_PERSONAL_DATA,
    "insights.Question": _NO_PERSONAL_DATA,
    "insights.Invitation": "the hash of a random answering link; whom it went to is not kept",
    "insights.Response": "an anonymous set of answers: no link, person or time kept with it",
    "insights.Answer": "anonymous answers (a personnummer in free text is refused)",
    "insights.MunicipalityYear": "a municipality's yearly counts: no one's data",
    "insights.MunicipalityProfile": "which programmes a municipality runs: no one's data",
}


# Personal data that is not a Person's row but whose reads are logged all the same: the
# staff register (name, contact, employment) — see EXCLUDED for why it is not in HOLDINGS.
LOGGED_OUTSIDE_HOLDINGS: dict[str, tuple[str, str | None]] = {
    "organisation.StaffMember": ("staff", None),
    "introduction.CohortMember": ("new hire", None),
}


@dataclass(frozen=True)
class LoggedSubject:
    subject_type: str  # the access log's name for it ("application", "participant", …)
    to_person: str | None  # ORM path to its Person, None when it is not a Person's row


def logged_subject(label: str) -> LoggedSubject | None:
    """How a read of the model ``label`` goes to the access log; None when it holds no
    personal data (nothing to log)."""
    for holding in HOLDINGS:
        if holding.label == label:
            name = holding.log_as or label.split(".")[1].lower()
            return LoggedSubject(name, holding.to_person)
    if label in LOGGED_OUTSIDE_HOLDINGS:
        return LoggedSubject(*LOGGED_OUTSIDE_HOLDINGS[label])
    return None


def holdings_of(person: Person) -> list[tuple[str, int]]:
    out = []
    for holding in reversed(HOLDINGS):
        count = holding.rows_for(person).count()
        if count:
            out.append((str(holding.model._meta.verbose_name_plural), count))
    return out
