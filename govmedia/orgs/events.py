"""What the org tree tells the apps that keep data derived from it."""

from govmedia.core.events import Event

# Units were moved, retyped, abolished or merged: rules that depend on a unit's place apply anew.
ORGS_CHANGED = Event("orgs.changed", carries=("org_ids",))
