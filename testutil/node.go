package testutil

import (
	"context"
	"errors"
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
)

// RoleNode is a cluster node whose role a test sets (Primary), for an
// app made a cluster node with handoff.SetNode; it reaches no primary.
type RoleNode struct{ Primary bool }

// IsPrimary reports the role the test set.
func (n *RoleNode) IsPrimary() bool { return n.Primary }

// Send fails: there is no primary to hand a write to.
func (n *RoleNode) Send(context.Context, handoff.Write) error {
	return errors.New("no primary in this test")
}

// Forward fails: there is no primary to forward a request to.
func (n *RoleNode) Forward(*core.RequestEvent, url.Values) error {
	return errors.New("no primary in this test")
}
