"""Writes of the maintenance app: work orders and what hangs on them. Each is one transaction."""

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
from maintenance.transitions import ALLOWED, allowed_next
from maintenance.uploads import check_image
from monitoring.models import MaintenanceWindow

S = WorkOrderStatus
OPEN_ENDED = timedelta(days=365)  # until the order leaves "in progress"
MIN_WINDOW = timedelta(seconds=1)


def work_order_create(*, reporter, checklist: list[str] = (), **fields) -> WorkOrder:
    """A new work order (status open, or assigned when an assignee is given), with its checklist."""
    with transaction.atomic():
        order = WorkOrder(reporter=reporter, **fields)
        if order.assignee_id:
            order.status = S.ASSIGNED
        order.full_clean()
        order.save()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(work_order=order, position=i, text=text) for i, text in enumerate(checklist)
        )
        WorkOrderTransition.objects.create(work_order=order, from_status=S.OPEN, to_status=order.status, by=reporter)
        if order.assignee_id:
            notify(NotificationEvent.ASSIGNED, order)
    return order


def work_order_transition(
    *,
    order: WorkOrder,
    to_status: str,
    by,
    note: str = "",
    resolution: str = "",
    assignee=None,
    asset_status: str | None = None,
) -> WorkOrder:
    """Move `order` to `to_status`, or raise ValidationError naming the allowed next states.

    Done needs a resolution; reopening a done order needs a reason (`note`); assigning needs an
    assignee of the order's agency. Finishing may set the asset's lifecycle status in the same
    transaction (e.g. faulty -> in service).
    """
    if to_status not in ALLOWED.get(order.status, ()):
        raise ValidationError(
            {
                "status": _("Tidak bisa dari %(from)s ke %(to)s. Yang boleh: %(allowed)s.")
                % {"from": order.status, "to": to_status, "allowed": ", ".join(allowed_next(order.status)) or "-"}
            }
        )
    errors = {}
    if to_status == S.DONE and not resolution.strip():
        errors["resolution"] = _("Wajib diisi saat menyelesaikan.")
    if order.status == S.DONE and not note.strip():
        errors["note"] = _("Alasan membuka kembali wajib diisi.")
    if to_status == S.ASSIGNED and assignee is None:
        errors["assignee"] = _("Pilih petugas.")
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
    item.done = done
    item.done_by, item.done_at = (by, timezone.now()) if done else (None, None)
    item.save(update_fields=["done", "done_by", "done_at"])
    return item


def checklist_add(*, order: WorkOrder, text: str) -> ChecklistItem:
    position = order.checklist.count()
    item = ChecklistItem(work_order=order, position=position, text=text)
    item.full_clean(exclude=["work_order"])
    item.save()
    return item


def work_log_add(
    *, order: WorkOrder, technician, description: str, hours: Decimal | None = None, started_at=None, ended_at=None
) -> WorkLog:
    """Log work by hours, or by start and end (hours are then derived)."""
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
    part = PartLine(work_order=order, name=name, quantity=quantity, unit_cost_idr=unit_cost_idr)
    part.full_clean()
    part.save()
    return part


def attachment_add(*, order: WorkOrder, upload, by, caption: str = "") -> Attachment:
    """Store a photo under MEDIA_ROOT after decoding it; its name on disk is ours, the client's is kept for display."""
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
