"""Writes of the maintenance app: work orders and what hangs on them. Each is one transaction."""

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import AssetStatus
from maintenance.choices import NotificationEvent, WorkOrderStatus
from maintenance.models import Attachment, ChecklistItem, PartLine, WorkLog, WorkOrder, WorkOrderTransition
from maintenance.notifications import notify
from maintenance.transitions import ALLOWED, FINISHED, allowed_next
from monitoring.models import MaintenanceWindow
from simpul.uploads import check_image

S = WorkOrderStatus
OPEN_ENDED = timedelta(days=365)  # until the order leaves "in progress"
MIN_WINDOW = timedelta(seconds=1)


def work_order_create(*, reporter, checklist: list[str] = (), outages=(), **fields) -> WorkOrder:
    """A new work order (status open, or assigned when an assignee is given), with its checklist and the
    outages it answers."""
    with transaction.atomic():
        order = WorkOrder(reporter=reporter, **fields)
        if order.assignee_id:
            order.status = S.ASSIGNED
        order.full_clean()
        order.save()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(work_order=order, position=i, text=text) for i, text in enumerate(checklist)
        )
        if outages:
            order.outages.add(*outages)
        WorkOrderTransition.objects.create(work_order=order, from_status=S.OPEN, to_status=order.status, by=reporter)
        if order.assignee_id:
            notify(NotificationEvent.ASSIGNED, order)
    return order


def ensure_editable(order: WorkOrder) -> None:
    """A finished (done or cancelled) order is a record: nothing on it changes until it is reopened."""
    if order.status in FINISHED:
        raise ValidationError(
            {"status": _("Perintah kerja sudah %(s)s: tidak bisa diubah lagi.") % {"s": S(order.status).label.lower()}}
        )


def _record_skipped(order: WorkOrder, skipped: Mapping[int, str]) -> None:
    """Finishing: every unticked item needs a reason ("tidak dapat dikerjakan karena ..."); saved on the item.

    The error names the items and carries their ids (params["items"]) so a page can show it beside each.
    """
    items = list(order.checklist.all())
    if unknown := set(skipped) - {item.pk for item in items}:
        ids = ", ".join(map(str, sorted(unknown)))
        raise ValidationError({"skipped": _("Butir bukan dari perintah kerja ini: %(ids)s.") % {"ids": ids}})
    missing = [item for item in items if not item.done and not (skipped.get(item.pk) or "").strip()]
    if missing:
        raise ValidationError(
            {
                "skipped": ValidationError(
                    _("Butir belum dicentang, tulis alasannya: %(items)s.")
                    % {"items": "; ".join(item.text for item in missing)},
                    code="reason_missing",
                    params={"items": [item.pk for item in missing]},
                )
            }
        )
    limit = ChecklistItem._meta.get_field("skip_reason").max_length
    if too_long := [item.text for item in items if len((skipped.get(item.pk) or "").strip()) > limit]:
        message = _("Alasan paling panjang %(n)d karakter: %(items)s.") % {"n": limit, "items": "; ".join(too_long)}
        raise ValidationError({"skipped": message})
    for item in items:
        reason = "" if item.done else skipped[item.pk].strip()
        if item.skip_reason != reason:
            item.skip_reason = reason
            item.save(update_fields=["skip_reason"])


def work_order_transition(
    *,
    order: WorkOrder,
    to_status: str,
    by,
    note: str = "",
    resolution: str = "",
    assignee=None,
    asset_status: str | None = None,
    skipped: Mapping[int, str] | None = None,
) -> WorkOrder:
    """Move `order` to `to_status`, or raise ValidationError naming the allowed next states.

    Done needs a resolution and a reason for each unticked checklist item (`skipped`: item id -> reason);
    holding and reopening a done order need a reason (`note`); assigning needs an assignee of the order's
    agency. Finishing may set the asset's lifecycle status in the same transaction (e.g. faulty -> in service).
    Who may reopen is maintenance.dispatch's `may_reopen`.
    """
    if to_status not in ALLOWED.get(order.status, ()):
        raise ValidationError(
            {
                "status": _("Tidak bisa dari %(from)s ke %(to)s. Yang boleh: %(allowed)s.")
                % {
                    "from": S(order.status).label,
                    "to": S(to_status).label if to_status in S.values else to_status,
                    "allowed": ", ".join(str(S(status).label) for status in allowed_next(order.status)) or "-",
                }
            }
        )
    errors = {}
    if to_status == S.DONE and not resolution.strip():
        errors["resolution"] = _("Wajib diisi saat menyelesaikan.")
    if order.status == S.DONE and not note.strip():
        errors["note"] = _("Alasan membuka kembali wajib diisi.")
    if to_status == S.ON_HOLD and not note.strip():
        errors["note"] = _("Alasan menunda wajib diisi.")
    if to_status == S.ASSIGNED and assignee is None:
        errors["assignee"] = _("Pilih petugas.")
    elif to_status == S.ASSIGNED and order.status == S.ASSIGNED and assignee.pk == order.assignee_id:
        errors["assignee"] = _("Perintah kerja ini sudah ditugaskan kepadanya; pilih petugas lain.")
    if asset_status is not None and (to_status != S.DONE or order.asset_id is None):
        errors["asset_status"] = _("Hanya saat menyelesaikan perintah kerja sebuah aset.")
    elif asset_status is not None and asset_status not in AssetStatus.values:
        errors["asset_status"] = _("Status aset tidak dikenal.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        previous = order.status
        now = timezone.now()
        if to_status == S.DONE:
            _record_skipped(order, skipped or {})
        order.status = to_status
        if to_status == S.ASSIGNED:
            order.assignee = assignee
        if to_status == S.IN_PROGRESS and order.started_at is None:
            order.started_at = now
        if to_status == S.DONE:
            order.done_at, order.resolution = now, resolution
        if previous == S.DONE:
            order.done_at = None
        _follow_with_maintenance_window(order, previous, now, by)
        order.full_clean()
        order.save()
        WorkOrderTransition.objects.create(
            work_order=order, from_status=previous, to_status=to_status, by=by, note=note
        )
        if asset_status is not None:
            asset = order.asset
            asset.status = asset_status
            asset.full_clean()
            asset.save(update_fields=["status", "updated_at"])
        if to_status == S.ASSIGNED:
            notify(NotificationEvent.ASSIGNED, order)
    return order


def _follow_with_maintenance_window(order: WorkOrder, previous: str, now, by) -> None:
    """An asset whose order is in progress is in maintenance: no outage counts, no corrective order opens."""
    if order.asset_id is None:
        return
    if order.status == S.IN_PROGRESS and previous != S.IN_PROGRESS:
        order.maintenance_window = MaintenanceWindow.objects.create(
            agency_id=order.agency_id,
            asset_id=order.asset_id,
            starts_at=now,
            ends_at=now + OPEN_ENDED,
            reason=_("Perintah kerja #%(id)s dikerjakan") % {"id": order.pk},
            created_by=by,
        )
    elif previous == S.IN_PROGRESS and order.maintenance_window is not None:
        MaintenanceWindow.objects.filter(pk=order.maintenance_window.pk).update(
            ends_at=max(now, order.maintenance_window.starts_at + MIN_WINDOW)
        )
        order.maintenance_window = None


def checklist_tick(*, item: ChecklistItem, by, done: bool = True) -> ChecklistItem:
    ensure_editable(item.work_order)
    item.done = done
    item.done_by, item.done_at = (by, timezone.now()) if done else (None, None)
    if done:
        item.skip_reason = ""
    item.save(update_fields=["done", "done_by", "done_at", "skip_reason"])
    return item


def checklist_add(*, order: WorkOrder, text: str) -> ChecklistItem:
    ensure_editable(order)
    position = order.checklist.count()
    item = ChecklistItem(work_order=order, position=position, text=text)
    item.full_clean(exclude=["work_order"])
    item.save()
    return item


def work_log_add(
    *, order: WorkOrder, technician, description: str, hours: Decimal | None = None, started_at=None, ended_at=None
) -> WorkLog:
    """Log work by hours, or by start and end (hours are then derived)."""
    ensure_editable(order)
    if started_at and ended_at:
        if ended_at <= started_at:
            raise ValidationError({"ended_at": _("Selesai harus setelah mulai.")})
        hours = Decimal(round((ended_at - started_at).total_seconds() / 3600, 2))
    if hours is None:
        raise ValidationError({"hours": _("Isi jam kerja, atau waktu mulai dan selesai.")})
    log = WorkLog(
        work_order=order,
        technician=technician,
        description=description,
        hours=hours,
        started_at=started_at,
        ended_at=ended_at,
    )
    log.full_clean()
    log.save()
    return log


def part_add(*, order: WorkOrder, name: str, quantity: Decimal, unit_cost_idr: int) -> PartLine:
    ensure_editable(order)
    part = PartLine(work_order=order, name=name, quantity=quantity, unit_cost_idr=unit_cost_idr)
    part.full_clean()
    part.save()
    return part


def attachment_add(*, order: WorkOrder, upload, by, caption: str = "") -> Attachment:
    """Store a photo under MEDIA_ROOT after decoding it; its name on disk is ours, the client's is kept for display."""
    ensure_editable(order)
    photo = check_image(upload)
    attachment = Attachment(
        work_order=order,
        file=upload,
        content_type=photo.content_type,
        size=upload.size,
        uploaded_by=by,
        caption=caption,
        original_name=Path(upload.name or "").name[:255],
    )
    attachment.save()
    return attachment
