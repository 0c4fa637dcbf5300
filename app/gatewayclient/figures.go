package gatewayclient

import (
	"context"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

var (
	_ domain.Figures      = (*Client)(nil)
	_ domain.HelpFollower = (*Client)(nil)
)

// HelpState asks where staff are with a help request this kiosk sent,
// by the kiosk's Ref.
func (c *Client) HelpState(ctx context.Context, ref string) (domain.HelpRequest, error) {
	resp, err := c.request(ctx, routeHelpOne, idempotent).SetPathParam("id", ref).Get(routeHelpOne.path)
	if err := c.check(ctx, routeHelpOne, resp, err); err != nil {
		return domain.HelpRequest{}, err
	}
	var st api.HelpStatus
	if err := decodeJSON(reader(resp), &st); err != nil {
		return domain.HelpRequest{}, malformed(routeHelpOne, err)
	}
	return domain.HelpRequest{Ref: st.ID, State: domain.HelpState(st.State)}, nil
}

// RecordVisits sends anonymous visit records. It is retried: the gateway
// counts a record this kiosk sent before once.
func (c *Client) RecordVisits(ctx context.Context, visits []domain.Visit) error {
	batch := api.VisitBatch{Visits: make([]api.Visit, 0, len(visits))}
	for _, v := range visits {
		batch.Visits = append(batch.Visits, api.FromVisit(v))
	}
	resp, err := c.request(ctx, routeVisits, idempotent).SetBody(batch).Post(routeVisits.path)
	return c.check(ctx, routeVisits, resp, err)
}

// StaffSession is a member of staff signed in at this kiosk: their name
// and the bearer token of their session, held in memory only.
type StaffSession struct {
	Name  string
	token string
}

// StaffSignIn signs a member of staff in with their back-office account.
// A wrong name or password is domain.ENotFound; a locked account
// ERateLimited.
func (c *Client) StaffSignIn(ctx context.Context, name, password string) (StaffSession, error) {
	resp, err := c.request(ctx, routeSignIn, 0).SetBody(api.StaffSignIn{Name: name, Password: password}).Post(routeSignIn.path)
	if resp != nil && resp.StatusCode() == 401 {
		return StaffSession{}, &domain.Error{Code: domain.ENotFound}
	}
	if err := c.check(ctx, routeSignIn, resp, err); err != nil {
		return StaffSession{}, err
	}
	var s api.StaffSession
	if err := decodeJSON(reader(resp), &s); err != nil {
		return StaffSession{}, malformed(routeSignIn, err)
	}
	return StaffSession{Name: s.Name, token: s.Token}, nil
}

// HelpQueue lists the open help requests of every kiosk, oldest first.
func (c *Client) HelpQueue(ctx context.Context, s StaffSession) ([]api.HelpCall, error) {
	resp, err := c.request(ctx, routeQueue, idempotent).SetAuthToken(s.token).Get(routeQueue.path)
	if err := c.check(ctx, routeQueue, resp, err); err != nil {
		return nil, err
	}
	var q api.HelpQueue
	if err := decodeJSON(reader(resp), &q); err != nil {
		return nil, malformed(routeQueue, err)
	}
	return q.HelpRequests, nil
}

// SetHelpState marks a help request on the way or handled, as the signed-in
// member of staff. Setting the same state twice changes nothing, so it is
// retried.
func (c *Client) SetHelpState(ctx context.Context, s StaffSession, id string, state domain.HelpState) error {
	resp, err := c.request(ctx, routeSetHelp, idempotent).SetAuthToken(s.token).
		SetPathParam("id", id).SetBody(api.HelpStateChange{State: string(state)}).Post(routeSetHelp.path)
	return c.check(ctx, routeSetHelp, resp, err)
}
