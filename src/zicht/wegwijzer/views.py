"""Pages of the Wegwijzer. Public pages set no cookie of their own, need no session
and work without JavaScript; the coordinator's queue is behind the registry's login."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from zicht.core.exceptions import ApplicationError, NotFound

from . import routing, screening, security, selectors, services
from .forms import AnonymousSignalForm, DirectorySearchForm, ReceiptAddForm, StatusForm
from .models import Municipality, QuestionKind, SignalStatus, localized

DIRECTORY_PAGE_SIZE = 20
PROOF_MESSAGES = {
    "missing": gettext_lazy("Many messages came from your connection just now. Your browser first has "
                 "to do a short check that you are not a computer program. This needs "
                 "JavaScript. Press Send again when the check is done, or try again in "
                 "%(minutes)d minutes."),
    "expired": gettext_lazy("The check took too long. Press Send again."),
    "used": gettext_lazy("This check was used already. Press Send again."),
    "invalid": gettext_lazy("The check could not be read. Press Send again."),
    "wrong": gettext_lazy("The check was not done right. Press Send again."),
}
HONEYPOT_MESSAGE = gettext_lazy("Your message was not sent, because the field 'Leave this field empty' "
                     "was filled in. Programs that send spam do that. Empty that field and "
                     "press Send again.")


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _rulebook_or_503(request: HttpRequest) -> routing.RuleBook | HttpResponse:
    book = routing.current_rulebook()
    if book is None:
        return render(request, "wegwijzer/unavailable.html", status=503)
    return book


def _query(pairs: dict[str, str]) -> str:
    return urlencode(list(pairs.items()))


# -- the guide -------------------------------------------------------------------

@require_GET
@security.public_page
@security.shared_page
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "wegwijzer/start.html")


@require_GET
@security.public_page
@security.shared_page
def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "wegwijzer/safety.html",
                  {"quick_exit_url": security.conf("WEGWIJZER_QUICK_EXIT_URL")})


@require_GET
@security.public_page
@security.shared_page
def questions(request: HttpRequest) -> HttpResponse:
    book = _rulebook_or_503(request)
    if isinstance(book, HttpResponse):
        return book
    language = get_language()
    answers = book.clean(request.GET)
    error = ""
    # A municipality typed by name becomes its code; an unknown one is asked again.
    for question in book.questions:
        typed = answers.get(question.key, "")
        if question.kind == QuestionKind.MUNICIPALITY and typed:
            found = selectors.find_municipality(typed)
            if found is None:
                error = _("We do not know the municipality '%(name)s'. Check the spelling, "
                          "or leave it empty.") % {"name": typed}
                answers = {k: v for k, v in answers.items() if k != question.key}
                break
            answers[question.key] = found.code
    next_question = book.next_question(answers)
    if next_question is None:
        return redirect(f"{reverse('wegwijzer:advice')}?{_query(answers)}")
    question = next_question
    if not error and question.is_choice and request.GET.get("asked") == question.key:
        error = _("Choose one of the answers.")
    asked = []
    earlier: dict[str, str] = {}
    for q in book.asked(answers):
        option = q.option(answers[q.key]) if q.is_choice else None
        shown = (localized(option.label, language) if option else
                 _municipality_name(answers[q.key]) or _("(skipped)"))
        asked.append({"question": localized(q.text, language), "answer": shown,
                      "change": f"{reverse('wegwijzer:questions')}?{_query(earlier)}"})
        earlier = {**earlier, q.key: answers[q.key]}
    context = {
        "question": question,
        "text": localized(question.text, language),
        "help": localized(question.help, language),
        "options": [(o.key, localized(o.label, language)) for o in question.options],
        "hidden": list(answers.items()),
        "asked": asked,
        "step": len(asked) + 1,
        "error": error,
        "typed": request.GET.get(question.key, "") if error else "",
        "municipalities": selectors.municipality_names()
        if question.kind == QuestionKind.MUNICIPALITY else [],
        "back": asked[-1]["change"] if asked else reverse("wegwijzer:start"),
    }
    return render(request, "wegwijzer/question.html", context, status=400 if error else 200)


def _municipality_name(code: str) -> str:
    municipality = Municipality.objects.filter(code=code).first() if code else None
    return municipality.name if municipality else ""


@require_GET
@security.public_page
@security.shared_page
def advice(request: HttpRequest) -> HttpResponse:
    book = _rulebook_or_503(request)
    if isinstance(book, HttpResponse):
        return book
    language = get_language()
    answers = book.clean(request.GET)
    if book.next_question(answers) is not None:
        return redirect(f"{reverse('wegwijzer:questions')}?{_query(answers)}")
    outcome = book.evaluate(answers)
    entries = selectors.entries_by_key(outcome.entry_keys)
    items = [
        {"entry": entries[item.entry_key], "urgent": item.urgent,
         "reasons": [localized(reason, language) for reason in item.reasons]}
        for item in outcome.recommendations if item.entry_key in entries
    ]
    municipality = Municipality.objects.filter(code=outcome.municipality).first() \
        if outcome.municipality else None
    nearby = []
    if outcome.regional_reasons and municipality is not None:
        reasons = [localized(reason, language) for reason in outcome.regional_reasons]
        nearby = [{"entry": desk, "urgent": False, "reasons": reasons}
                  for desk in selectors.regional_desks(municipality=municipality,
                                                       forms=outcome.forms)]
    directory_query = urlencode([("municipality", municipality.name if municipality else ""),
                                 ("form", outcome.forms[0] if len(outcome.forms) == 1 else "")])
    return render(request, "wegwijzer/advice.html", {
        "urgent": [item for item in items if item["urgent"]],
        "items": [item for item in items if not item["urgent"]],
        "nearby": nearby,
        "municipality": municipality,
        "version": book.version,
        "restart": reverse("wegwijzer:questions"),
        "change": f"{reverse('wegwijzer:questions')}?{_query(dict(list(answers.items())[:-1]))}",
        "directory_query": directory_query,
        "language": language,
    })


@require_GET
@security.public_page
@security.shared_page
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    municipality = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        municipality = Municipality.objects.filter(code=data["municipality"]).first() \
            if data["municipality"] else None
        filters = {"form": data["form"], "language": data["language"], "kind": data["kind"]}
    entries = selectors.directory_search(municipality=municipality, **filters) if (
        not form.is_bound or form.is_valid()) else []
    page = Paginator(entries, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "wegwijzer/directory.html", {
        "form": form, "page": page, "count": len(entries), "municipality": municipality,
        "query": keep.urlencode(), "municipalities": selectors.municipality_names(),
        "language": get_language(),
    }, status=400 if form.is_bound and form.errors else 200)


@require_GET
def language(request: HttpRequest) -> HttpResponse:
    """Switch language by a plain link; the choice is kept in a browser-session cookie."""
    code = request.GET.get("lang", "")
    target = request.GET.get("next", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
        target = reverse("wegwijzer:start")
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax",
                            secure=request.is_secure(), httponly=True)
    return response


# -- anonymous signals ---------------------------------------------------------------

def _guard(request: HttpRequest, *, action: str, form: Any) -> tuple[str, bool]:
    """Rate limit, honeypot and proof of work: (message for the sender, proof needed)."""
    count = security.rate_hit(action=action, address=security.client_address(request))
    need_proof = security.over_limit(count)
    if form.honeypot_filled():
        return str(HONEYPOT_MESSAGE), need_proof
    if need_proof:
        check = security.pow_verify(request.POST.get("pow_challenge", ""),
                                    request.POST.get("pow_nonce", ""))
        if not check.ok:
            minutes = max(1, int(security.conf("WEGWIJZER_RATE_WINDOW_SECONDS")) // 60)
            return str(PROOF_MESSAGES[check.reason]) % {"minutes": minutes}, True
    return "", need_proof


def _form_context(form: Any, *, problem: str, need_proof: bool) -> dict[str, Any]:
    return {
        "form": form, "problem": problem,
        "challenge": security.pow_challenge() if need_proof else "",
        "municipalities": selectors.municipality_names(),
    }


# No CSRF cookie: these forms act for no logged-in user, so there is nothing to forge,
# and a visitor's device keeps no cookie that shows this site was used. Abuse is held
# off by the rate limit, the honeypot and the proof of work instead.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@security.public_page
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "wegwijzer/report.html",
                      _form_context(AnonymousSignalForm(), problem="", need_proof=False))
    form = AnonymousSignalForm(request.POST)
    problem, need_proof = _guard(request, action="signal", form=form)
    if not problem and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.anonymous_signal_submit(
                reporter=data["reporter"], forms=data["forms"], indicators=data["indicators"],
                municipality=data["municipality"], happened=data["happened"],
                narrative=data["narrative"], contact=data["contact"], language=get_language())
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return render(request, "wegwijzer/received.html",
                          {"receipt_code": submitted.receipt_code})
    status = 429 if need_proof and problem else 400
    return render(request, "wegwijzer/report.html",
                  _form_context(form, problem=problem, need_proof=need_proof), status=status)


# No CSRF cookie: these forms act for no logged-in user, so there is nothing to forge,
# and a visitor's device keeps no cookie that shows this site was used. Abuse is held
# off by the rate limit, the honeypot and the proof of work instead.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@security.public_page
def report_add(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "wegwijzer/report_add.html",
                      _form_context(ReceiptAddForm(), problem="", need_proof=False))
    form = ReceiptAddForm(request.POST)
    problem, need_proof = _guard(request, action="receipt", form=form)
    if not problem and form.is_valid():
        try:
            signal = services.anonymous_signal_add(
                receipt_code=form.cleaned_data["receipt_code"], text=form.cleaned_data["text"])
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            return render(request, "wegwijzer/added.html", {"status": signal.get_status_display()})
    status = 429 if need_proof and problem else 400
    return render(request, "wegwijzer/report_add.html",
                  _form_context(form, problem=problem, need_proof=need_proof), status=status)


# -- screening tools -------------------------------------------------------------------

@require_GET
@security.public_page
@security.shared_page
def screening_index(request: HttpRequest) -> HttpResponse:
    return render(request, "wegwijzer/screening_index.html", {
        "tools": list(screening.TOOLS.values()), "signs": list(screening.SIGNS.values())})


def _may_report(request: HttpRequest) -> bool:
    # Only a request that carries a session is asked who it is: no session is started.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return bool(user.is_authenticated and user.sees_person_content)


@require_GET
@security.public_page
@security.shared_page
def screening_tool(request: HttpRequest, tool: str) -> HttpResponse:
    found = screening.TOOLS.get(tool) or screening.SIGNS.get(tool)
    if found is None:
        raise Http404()
    done = "done" in request.GET
    outcome = screening.evaluate(found, request.GET.getlist("item")) if done else None
    return render(request, "wegwijzer/screening_tool.html", {
        "tool": found, "outcome": outcome,
        "ticked": {item.key for item in outcome.ticked} if outcome else set(),
        "may_report": _may_report(request) if outcome else False,
        "new_signal_url": reverse("registry:signal-new"),
    })


# -- the national coordinator's queue ------------------------------------------------------

@login_required
@never_cache
@require_GET
@not_found_as_404
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    user: Any = request.user
    signals = selectors.anonymous_signal_list(actor=user, status=status)
    page = Paginator(signals, 25).get_page(request.GET.get("page"))
    return render(request, "wegwijzer/queue.html", {"page": page, "status": status,
                                                    "statuses": SignalStatus.choices})


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@not_found_as_404
def queue_item(request: HttpRequest, signal_id: int) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            services.anonymous_signal_set_status(actor=user, signal_id=signal_id,
                                                 status=form.cleaned_data["status"])
            return redirect("wegwijzer:queue-item", signal_id=signal_id)
    signal = selectors.anonymous_signal_get(actor=user, signal_id=signal_id)
    form = StatusForm(initial={"status": signal.status})
    return render(request, "wegwijzer/queue_item.html", {
        "signal": signal, "form": form,
        "forms": [screening.FORM_LABELS.get(code, code) for code in signal.forms],
        "indicators": [screening.INDICATOR_LABELS.get(code, code) for code in signal.indicators],
        "municipality": _municipality_name(signal.municipality) or signal.municipality,
    })

