"""What the org tree tells the apps that keep data derived from it."""

from govmedia.core.events import Event

# Units were moved, retyped, abolished or merged: rules that depend on a unit's place apply anew.
ORGS_CHANGED = Event("orgs.changed", carries=("org_ids",))

# A unit's type is about to change, inside the transaction that changes it, by an actor who may
# not decide a unit's oversight ("orgs.oversight"). An app that keeps data under units whose rules
# depend on the type refuses by raising a ServiceError: registry, when the unit hosts 政务新媒体
# (retyping a 下属单位 as 企事业单位 would make its 集约化 finding disappear).
ORG_RETYPING = Event("orgs.retyping", carries=("actor", "org", "org_type"))
