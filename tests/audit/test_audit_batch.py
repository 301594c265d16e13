"""audit_record_many appends events that the chain verifies like those of audit_record."""

from django.conf import settings
from django.db import transaction

from govmedia.audit import chain
from govmedia.audit.models import AuditChainHead, AuditEvent
from govmedia.audit.services import Entry, audit_record, audit_record_many


def verify():
    events = AuditEvent.objects.order_by("seq")
    return chain.verify(events, AuditChainHead.objects.get(pk=1), settings.AUDIT_HMAC_KEY)


def test_batch_between_single_events_keeps_the_chain(world):
    with transaction.atomic():
        audit_record(actor=world.alice, action="test.before", obj=world.tian, org=world.tian)
        count = audit_record_many(
            actor=world.alice,
            action="test.many",
            entries=[
                Entry(org, org=org, after={"name": org.name})
                for org in (world.tian, world.chen, world.dept)
            ],
        )
        audit_record(actor=world.alice, action="test.after", obj=world.chen, org=world.chen)
    assert count == 3
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.action for e in events] == [
        "test.before",
        "test.many",
        "test.many",
        "test.many",
        "test.after",
    ]
    assert events[2].object_id == str(world.chen.pk) and events[2].after == {"name": "陈集镇"}
    assert events[1].actor_label == "alice（alice）" and events[1].request_id
    assert verify() == []

    AuditEvent.objects.filter(pk=events[2].pk).update(after={"name": "改过"})
    assert [p.seq for p in verify()] == [events[2].seq]
