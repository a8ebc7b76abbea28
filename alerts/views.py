"""Pages of the alerting app, and acknowledgement without a login: the signed link in a message, and
Telegram's button (its webhook).

A link's GET only shows what it acknowledges (phones and chat apps fetch links to preview them, which
must not spend the token); the button on that page POSTs.
"""

import json
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.pages import logged_in, page_for
from accounts.scoping import scope, visible_agencies
from alerts import services
from alerts.channels.telegram import is_genuine
from alerts.choices import ACTIVE_STATES, UNACKNOWLEDGED_STATES, AckVia, ChannelKind
from alerts.models import Alert, AlertContact, AlertRule, Channel, DutyAssignment, DutyShift, Message
from alerts.selectors import STATE_RANK, may_acknowledge
from alerts.signing.ack import BadToken, delivery_id_from_link, message_id_from_callback
from maintenance.dispatch import may_dispatch

RECENT = timedelta(hours=24)  # resolved alerts stay on the page this long
PAGE_LIMIT = 200
AFFECTED_LIMIT = 100


def _refusal(request, text: str, status: int) -> HttpResponse:
    return render(request, "alerts/ack.html", {"refusal": text}, status=status)


@require_http_methods(["GET", "POST"])
def acknowledge_link(request, token: str):
    try:
        delivery_id = delivery_id_from_link(token)
    except BadToken:
        return _refusal(request, _("Tautan tidak sah atau kedaluwarsa."), 400)
    message = (
        Message.objects.select_related("alert__agency", "alert__asset", "recipient")
        .filter(delivery_id=delivery_id)
        .first()
    )
    if message is None:
        return _refusal(request, _("Tautan tidak sah atau kedaluwarsa."), 400)
    alert = message.alert
    if request.user.is_authenticated and not visible_agencies(request.user).filter(pk=alert.agency_id).exists():
        return _refusal(request, _("Peringatan ini milik instansi lain."), 403)
    if message.ack_used_at is not None:
        return _refusal(request, _("Tautan ini sudah dipakai."), 410)
    if request.method == "GET":
        return render(request, "alerts/ack.html", {"alert": alert, "recipient": message.recipient})
    by = request.user if request.user.is_authenticated else message.recipient
    Message.objects.filter(pk=message.pk).update(ack_used_at=timezone.now())
    try:
        alert = services.alert_acknowledge(alert=alert, by=by, via=AckVia.LINK)
    except ValidationError as error:
        return _refusal(request, " ".join(error.messages), 409)
    return render(request, "alerts/ack.html", {"alert": alert, "done": True})


@csrf_exempt
@require_POST
def telegram_webhook(request, channel_id: int):
    """Updates from Telegram for one bot; only the "Terima" button matters. Answered in the response itself
    (answerCallbackQuery as the webhook reply), so no request leaves Simpul from here."""
    channel = get_object_or_404(Channel, pk=channel_id, kind=ChannelKind.TELEGRAM)
    if not is_genuine(channel, request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")):
        return HttpResponse(status=403)
    try:
        update = json.loads(request.body)
        query = update["callback_query"]
        query_id, data, from_id = str(query["id"]), str(query.get("data", "")), int(query["from"]["id"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({})  # other updates (messages, edits): nothing to do

    def answer(text: str) -> JsonResponse:
        return JsonResponse({"method": "answerCallbackQuery", "callback_query_id": query_id, "text": text})

    try:
        message = Message.objects.select_related("alert").get(pk=message_id_from_callback(data), channel=channel)
    except (BadToken, Message.DoesNotExist):
        return answer(_("Tombol tidak sah."))
    contact = AlertContact.objects.select_related("user").filter(telegram_chat_id=from_id).first()
    if contact is None or not visible_agencies(contact.user).filter(pk=message.alert.agency_id).exists():
        return answer(_("Anda tidak berhak menerima peringatan ini."))
    try:
        services.alert_acknowledge(alert=message.alert, by=contact.user, via=AckVia.TELEGRAM)
    except ValidationError as error:
        return answer(" ".join(error.messages))
    return answer(_("Diterima. Terima kasih."))


# Pages: current alerts, one alert's timeline with the acknowledge button, this week's roster, the rules.


def _alerts_for(user):
    return scope(Alert.objects.select_related("agency", "asset__site", "acknowledged_by"), user)


@page_for(logged_in)
def alert_list(request):
    alerts = list(
        _alerts_for(request.user)
        .filter(Q(state__in=ACTIVE_STATES) | Q(resolved_at__gte=timezone.now() - RECENT))
        .annotate(rank=STATE_RANK)
        .order_by("rank", "-started_at", "-id")[:PAGE_LIMIT]
    )
    active = [a for a in alerts if a.state in ACTIVE_STATES]
    unacknowledged = sum(1 for a in active if a.state in UNACKNOWLEDGED_STATES)
    context = {"alerts": alerts, "active": len(active), "unacknowledged": unacknowledged}
    return render(request, "alerts/alert_list.html", context)


@login_required
def alert_detail(request, pk: int):
    alert = get_object_or_404(_alerts_for(request.user), pk=pk)
    if request.method == "POST":
        if not may_acknowledge(request.user):
            raise PermissionDenied
        try:
            services.alert_acknowledge(alert=alert, by=request.user, via=AckVia.WEB)
            messages.success(request, _("Peringatan diterima."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("alerts-detail", pk=alert.pk)
    context = {
        "alert": alert,
        "timeline": alert.timeline.select_related("user", "channel"),
        "affected": alert.affected.order_by("name")[:AFFECTED_LIMIT],
        "can_acknowledge": alert.state in UNACKNOWLEDGED_STATES and may_acknowledge(request.user),
        "can_dispatch": may_dispatch(request.user, alert.agency_id),
    }
    return render(request, "alerts/alert_detail.html", context)


@login_required
def roster_week(request):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    shifts = scope(DutyShift.objects.select_related("agency"), request.user)
    entries = DutyAssignment.objects.filter(shift__in=shifts, date__in=days).select_related("user", "planned_user")
    cells: dict[tuple[int, date], list] = {}
    for entry in entries:
        cells.setdefault((entry.shift_id, entry.date), []).append(entry)
    rows = [{"shift": shift, "cells": [cells.get((shift.pk, day), []) for day in days]} for shift in shifts]
    return render(request, "alerts/roster.html", {"days": days, "rows": rows, "today": today})


@login_required
def rule_list(request):
    rules = AlertRule.objects.filter(
        Q(agency__isnull=True) | Q(agency__in=visible_agencies(request.user).values("pk"))
    ).select_related("agency")
    return render(request, "alerts/rules.html", {"rules": rules})
