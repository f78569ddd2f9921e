package integration

import (
	"os"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi-litellm/pulumi-litellm/tests/emulator"
)

func orgInputs() map[string]any {
	return map[string]any{
		"organizationAlias": "acme",
		"models":            []any{"gpt-4o", "claude"},
		"maxBudget":         500.0,
		"budgetDuration":    "30d",
		"tpmLimit":          100000.0,
		"rpmLimit":          600.0,
		"modelRpmLimit":     map[string]any{"gpt-4o": 100.0},
		"metadata":          map[string]any{"cost_center": "cc-42", "owners": map[string]any{"lead": "ana"}},
	}
}

func orgLegacyRun() bool { return os.Getenv("LITELLM_EMULATOR_VERSION") == emulator.VersionLegacy }

func (h *harness) org(id string) (map[string]any, bool) {
	for _, o := range h.emu.Organizations() {
		if o["organization_id"] == id {
			return o, true
		}
	}
	return nil, false
}

// orgMember is the membership of user in the organization on the primary
// (with its budget), nil if none.
func (h *harness) orgMember(orgID, user string) map[string]any {
	for _, m := range h.emu.OrganizationMembers(orgID) {
		if m["user_id"] == user {
			return m
		}
	}
	return nil
}

// orgRoles is the organization's member set on the primary: user → role.
func (h *harness) orgRoles(orgID string) map[string]any {
	out := map[string]any{}
	for _, m := range h.emu.OrganizationMembers(orgID) {
		out[m["user_id"].(string)] = m["user_role"]
	}
	return out
}

func (h *harness) apiOrg(id string) {
	h.t.Helper()
	if code, body := h.api("POST", "/organization/new", map[string]any{"organization_id": id, "organization_alias": id}); code != 200 {
		h.t.Fatalf("out-of-band organization: %d %v", code, body)
	}
}

func (h *harness) apiOrgMember(orgID, user, role string) {
	h.t.Helper()
	code, body := h.api("POST", "/organization/member_add", map[string]any{"organization_id": orgID,
		"member": map[string]any{"user_id": user, "role": role}})
	if code != 200 {
		h.t.Fatalf("out-of-band member: %d %v", code, body)
	}
}

func noReplacement(t *testing.T, diff p.DiffResponse) {
	t.Helper()
	for path, d := range diff.DetailedDiff {
		if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
			t.Fatalf("%s replaces the resource: %+v", path, diff.DetailedDiff)
		}
	}
}

func TestOrganizationLifecycle(t *testing.T) {
	// Organization reads come from the database; a lagging read replica
	// makes them eventually consistent all the same.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	u := urn("Organization", "acme")
	in := orgInputs()
	created := h.mustCreate(u, in)
	id := created.ID
	if id == "" || get(created.Properties, "organizationId") != id {
		t.Fatalf("ID %q, organizationId output %v", id, get(created.Properties, "organizationId"))
	}
	row, ok := h.org(id)
	meta := uMap(row["metadata"])
	budget := uMap(row["litellm_budget_table"])
	if !ok || row["organization_alias"] != "acme" || len(uList(row["models"])) != 2 || budget["max_budget"] != 500.0 ||
		budget["tpm_limit"] != 100000.0 || budget["rpm_limit"] != 600.0 || budget["budget_duration"] != "30d" ||
		meta["cost_center"] != "cc-42" || meta["pulumi"] == nil {
		t.Fatalf("organization on the proxy: %v", row)
	}
	if !orgLegacyRun() && get(pm(meta), "model_rpm_limit.gpt-4o") != 100.0 {
		t.Fatalf("model_rpm_limit not kept in the metadata: %v", meta)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	oob := map[string]any{"ui_note": "set in the admin UI"}
	for k, v := range meta {
		oob[k] = v
	}
	h.emu.UpdateOrganization(id, map[string]any{"organization_alias": "acme-ui", "metadata": oob,
		"litellm_budget_table": map[string]any{"max_budget": 250.0}})
	time.Sleep(400 * time.Millisecond) // past the replica's lag
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "organizationAlias") != "acme-ui" || get(read.Inputs, "maxBudget") != 250.0 ||
		get(read.Inputs, "metadata.ui_note") != nil {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: a new alias and budget, models and rpmLimit removed,
	// a metadata key changed. A key someone else set survives; LiteLLM
	// cannot clear a limit, so rpmLimit stays on the proxy.
	in2 := orgInputs()
	in2["organizationAlias"] = "acme-corp"
	in2["maxBudget"] = 750.0
	delete(in2, "models")
	delete(in2, "rpmLimit")
	in2["metadata"] = map[string]any{"cost_center": "cc-43", "owners": map[string]any{"lead": "ana"}}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil || !diff.HasChanges || diff.DeleteBeforeReplace {
		t.Fatalf("diff %+v %v", diff, err)
	}
	noReplacement(t, diff)
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	row, _ = h.org(id)
	meta, budget = uMap(row["metadata"]), uMap(row["litellm_budget_table"])
	wantBudget := 750.0
	if orgLegacyRun() {
		wantBudget = 250.0 // older proxies' update does not write the budget
	}
	if row["organization_alias"] != "acme-corp" || len(uList(row["models"])) != 0 || budget["max_budget"] != wantBudget ||
		budget["rpm_limit"] != 600.0 || meta["cost_center"] != "cc-43" || meta["pulumi"] == nil || meta["ui_note"] != "set in the admin UI" {
		t.Fatalf("after update: %v", row)
	}
	if get(updated.Properties, "organizationId") != id {
		t.Fatalf("organizationId output after update: %v", get(updated.Properties, "organizationId"))
	}

	// Import rebuilds the readable inputs (once the replica has the update).
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("Organization", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	if get(imp.Inputs, "organizationAlias") != "acme-corp" || get(imp.Inputs, "maxBudget") != wantBudget ||
		get(imp.Inputs, "rpmLimit") != 600.0 || get(imp.Inputs, "metadata.cost_center") != "cc-43" ||
		get(imp.Inputs, "metadata.pulumi") != nil || get(imp.Inputs, "spend") != nil || get(imp.Inputs, "models") != nil ||
		get(imp.Inputs, "organizationId") != nil || get(imp.Inputs, "metadata.model_rpm_limit") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if !orgLegacyRun() && get(imp.Inputs, "modelRpmLimit.gpt-4o") != 100.0 {
		t.Fatalf("import inputs lack modelRpmLimit: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("Organization", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.org(id); ok {
		t.Fatal("organization still on the proxy")
	}
	time.Sleep(400 * time.Millisecond) // the replica still has it until then
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

func TestOrganizationDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	u := urn("Organization", "o")
	in := map[string]any{"organizationId": "oob-org", "organizationAlias": "a"}
	created := h.mustCreate(u, in)
	h.emu.DeleteOrganization("oob-org")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /organization/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the organization is gone, want 1", n)
	}
	// An update of an organization that is gone creates it again under its ID.
	in["organizationAlias"] = "b"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if row, ok := h.org("oob-org"); !ok || row["organization_alias"] != "b" || uMap(row["metadata"])["pulumi"] == nil {
		t.Fatalf("recreated organization: %v", row)
	}
}

// An organization made outside Pulumi under the pinned ID is never taken
// over without adoptExisting. LiteLLM answers the duplicate organization_id
// with a 500, which is never believed: a read of the ID decides, at once.
func TestOrganizationConflictAndAdoption(t *testing.T) {
	for _, gen := range generations {
		t.Run(gen, func(t *testing.T) {
			h := newHarness(t, emulator.Options{Version: gen}, nil)
			h.apiOrg("taken")
			h.emu.ResetStats()
			in := map[string]any{"organizationId": "taken", "organizationAlias": "ours"}
			start := time.Now()
			_, err := h.create(urn("Organization", "o"), in, 0)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
				t.Fatalf("create over someone else's organization: %v", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Fatalf("the conflict took %v to be found", el)
			}
			if n := h.emu.Stats()["POST /organization/new"]; n != 1 {
				t.Fatalf("%d creates sent, want 1 (the 500 is settled by a read, not by sending it again)", n)
			}
			if row, _ := h.org("taken"); row["organization_alias"] != "taken" || uMap(row["metadata"])["pulumi"] != nil {
				t.Fatalf("their organization was changed: %v", row)
			}
			in["adoptExisting"] = true
			if _, err := h.create(urn("Organization", "o"), in, 0); err != nil {
				t.Fatalf("adoptExisting: %v", err)
			}
			if row, _ := h.org("taken"); row["organization_alias"] != "ours" || uMap(row["metadata"])["pulumi"] == nil ||
				len(h.emu.Organizations()) != 1 {
				t.Fatalf("adopted organization: %v", h.emu.Organizations())
			}
		})
	}
}

// The emulator answers a second create of an organization_id as LiteLLM
// does, with a 500 and nothing written; the provider's create of its own
// earlier (interrupted) organization gets that 500 too, reads, finds its
// mark and keeps one organization.
func TestOrganizationDuplicateIDAnswers500(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.apiOrg("dup")
	code, _ := h.api("POST", "/organization/new", map[string]any{"organization_id": "dup", "organization_alias": "again"})
	if code != 500 {
		t.Fatalf("second create: %d, want 500", code)
	}
	if row, _ := h.org("dup"); row["organization_alias"] != "dup" || len(h.emu.Organizations()) != 1 {
		t.Fatalf("after the 500: %v", h.emu.Organizations())
	}
	u := urn("Organization", "o")
	first := h.mustCreate(u, map[string]any{"organizationAlias": "a"})
	again, err := h.createOn(h.rerun(), u, map[string]any{"organizationAlias": "a"}, 0)
	if err != nil || again.ID != first.ID {
		t.Fatalf("rerun: %q %v (first %q)", again.ID, err, first.ID)
	}
	if row, ok := h.org(first.ID); !ok || row["organization_alias"] != "a" || len(h.emu.Organizations()) != 2 {
		t.Fatalf("organizations: %v", h.emu.Organizations())
	}
}

// The connection drops after the proxy stored the organization: the retry
// reads first, finds its own attempt and sends no second create.
func TestOrganizationAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /organization/new"}}}, nil)
	created, err := h.create(urn("Organization", "o"), map[string]any{"organizationAlias": "a"}, 0)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if orgs := h.emu.Organizations(); len(orgs) != 1 || orgs[0]["organization_alias"] != "a" || orgs[0]["organization_id"] != created.ID {
		t.Fatalf("organizations: %v", orgs)
	}
	if n := h.emu.Stats()["POST /organization/new"]; n != 1 {
		t.Fatalf("%d creates sent, want 1 (the dropped one)", n)
	}
}

// Deleting an organization deletes its teams and their keys on the proxy;
// another organization's team stays.
func TestOrganizationDeleteCascades(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	ou := urn("Organization", "o")
	o := h.mustCreate(ou, map[string]any{"organizationAlias": "doomed"})
	h.apiOrg("other-org")
	team := h.mustCreate(urn("Team", "t"), map[string]any{"teamId": "org-team", "teamAlias": "t", "organizationId": o.ID})
	if code, body := h.api("POST", "/team/new", map[string]any{"team_id": "other-team", "organization_id": "other-org"}); code != 200 {
		t.Fatalf("other team: %d %v", code, body)
	}
	key := h.mustCreate(urn("Key", "k"), map[string]any{"keyAlias": "team-key", "teamId": team.ID})
	if _, ok := h.key(key.ID); !ok {
		t.Fatal("key not on the proxy")
	}
	if row, _ := h.org(o.ID); len(uList(row["teams"])) != 1 {
		t.Fatalf("organization's teams: %v", row["teams"])
	}
	if err := h.s.Delete(p.DeleteRequest{ID: o.ID, Urn: ou, Properties: o.Properties}); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.team("org-team"); ok {
		t.Fatal("the organization's team survived its delete")
	}
	if _, ok := h.key(key.ID); ok {
		t.Fatal("the team's key survived the organization's delete")
	}
	if _, ok := h.team("other-team"); !ok {
		t.Fatal("another organization's team was deleted")
	}
}

func TestOrganizationCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{}, "organizationAlias", "must not be empty"},
		{map[string]any{"organizationAlias": "a", "budgetDuration": "30 days"}, "budgetDuration", `"30 days"`},
		{map[string]any{"organizationAlias": "a", "maxBudget": -1.0}, "maxBudget", "-1"},
		{map[string]any{"organizationAlias": "a", "tpmLimit": 1.5}, "tpmLimit", "1.5"},
		{map[string]any{"organizationAlias": "a", "modelRpmLimit": map[string]any{"gpt-4o": -5.0}}, "modelRpmLimit.gpt-4o", "-5"},
		{map[string]any{"organizationAlias": "a", "metadata": map[string]any{"pulumi": "x"}}, "metadata", "ownership mark"},
		{map[string]any{"organizationAlias": "a", "metadata": map[string]any{"model_tpm_limit": map[string]any{}}}, "metadata", "model_tpm_limit"},
		{map[string]any{"organizationAlias": "a", "organizationId": "a/b"}, "organizationId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("Organization", "o"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// ---- OrganizationMember ----

func TestOrganizationMemberLifecycle(t *testing.T) {
	// The organization is created just before its member, and a lagging
	// replica does not show it yet to member_add's existence check.
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	o := h.mustCreate(urn("Organization", "o"), map[string]any{"organizationAlias": "acme"})
	u := urn("OrganizationMember", "ana")
	in := map[string]any{"organizationId": o.ID, "userId": "ana", "role": "internal_user", "maxBudgetInOrganization": 10.0}
	created := h.mustCreate(u, in)
	id := o.ID + ":ana"
	if created.ID != id {
		t.Fatalf("ID %q, want %q", created.ID, id)
	}
	m := h.orgMember(o.ID, "ana")
	if m == nil || m["user_role"] != "internal_user" || uMap(m["litellm_budget_table"])["max_budget"] != 10.0 {
		t.Fatalf("membership on the proxy: %v", m)
	}
	if user, ok := h.user("ana"); !ok || user["user_role"] != "internal_user" {
		t.Fatalf("LiteLLM creates the user: %v", user)
	}

	// A refresh with no change shows none; an out-of-band change is seen.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.SetOrganizationMember(o.ID, "ana", "org_admin")
	time.Sleep(400 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || get(read.Inputs, "role") != "org_admin" || get(read.Inputs, "maxBudgetInOrganization") != 10.0 {
		t.Fatalf("refresh after an out-of-band change: %v %v", read.Inputs.GoString(), err)
	}

	// Update in place: another role and budget.
	in2 := map[string]any{"organizationId": o.ID, "userId": "ana", "role": "internal_user_viewer", "maxBudgetInOrganization": 20.0}
	news := h.check(u, inputs, pm(in2))
	diff, err := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	noReplacement(t, diff)
	updated, err := h.s.Update(p.UpdateRequest{ID: id, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if m := h.orgMember(o.ID, "ana"); m["user_role"] != "internal_user_viewer" || uMap(m["litellm_budget_table"])["max_budget"] != 20.0 {
		t.Fatalf("after update: %v", m)
	}
	// A new user is another membership.
	other := h.check(u, news, pm(map[string]any{"organizationId": o.ID, "userId": "bo", "role": "internal_user"}))
	if diff, _ := h.s.Diff(p.DiffRequest{ID: id, Urn: u, State: updated.Properties, OldInputs: news, Inputs: other}); diff.DetailedDiff["userId"].Kind != p.UpdateReplace {
		t.Fatalf("a new userId does not replace: %+v", diff.DetailedDiff)
	}

	// Import rebuilds the readable inputs.
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: id, Urn: urn("OrganizationMember", "imp")})
	if err != nil || imp.ID != id {
		t.Fatal(imp.ID, err)
	}
	if get(imp.Inputs, "organizationId") != o.ID || get(imp.Inputs, "userId") != "ana" || get(imp.Inputs, "role") != "internal_user_viewer" ||
		get(imp.Inputs, "maxBudgetInOrganization") != nil || get(imp.Inputs, "spend") != nil {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("OrganizationMember", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}
	if _, err := h.s.Read(p.ReadRequest{ID: "no-colon", Urn: urn("OrganizationMember", "bad")}); err == nil ||
		!strings.Contains(err.Error(), "<organization id>:<user id>") {
		t.Fatalf("import of a malformed ID: %v", err)
	}

	// Delete: the membership goes, the user stays.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if m := h.orgMember(o.ID, "ana"); m != nil {
		t.Fatalf("membership still on the proxy: %v", m)
	}
	if _, ok := h.user("ana"); !ok {
		t.Fatal("the membership's delete deleted the user")
	}
	time.Sleep(400 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: id, Urn: u, Properties: aged(updated.Properties), Inputs: news})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
	// A repeat delete (LiteLLM answers 200 null for a non-member) is fine.
	if err := h.s.Delete(p.DeleteRequest{ID: id, Urn: u, Properties: aged(updated.Properties)}); err != nil {
		t.Fatalf("repeat delete: %v", err)
	}
}

func TestOrganizationMemberRemovedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.apiOrg("org-m")
	u := urn("OrganizationMember", "m")
	in := map[string]any{"organizationId": "org-m", "userId": "u1", "role": "internal_user"}
	created := h.mustCreate(u, in)
	h.emu.DeleteOrganizationMember("org-m", "u1")
	h.emu.ResetStats()
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /organization/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the membership is gone, want 1", n)
	}
	// An update of a membership that is gone adds the user again.
	in["role"] = "org_admin"
	news := h.check(u, inputs, pm(in))
	if _, err := h.s.Update(p.UpdateRequest{ID: created.ID, Urn: u, State: aged(created.Properties), OldInputs: inputs, Inputs: news}); err != nil {
		t.Fatal(err)
	}
	if m := h.orgMember("org-m", "u1"); m["user_role"] != "org_admin" {
		t.Fatalf("membership added again: %v", m)
	}
}

// A membership that exists already is never taken over without
// adoptExisting, whatever its role (a membership carries no mark); with it,
// the configured role is set.
func TestOrganizationMemberExisting(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.apiOrg("org-x")
	h.apiOrgMember("org-x", "u1", "internal_user")
	h.apiOrgMember("org-x", "u2", "internal_user")
	for _, c := range []struct{ user, role string }{{"u1", "org_admin"}, {"u2", "internal_user"}} {
		in := map[string]any{"organizationId": "org-x", "userId": c.user, "role": c.role}
		_, err := h.create(urn("OrganizationMember", c.user), in, 0)
		if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "adoptExisting") {
			t.Fatalf("create over an existing membership (%s): %v", c.user, err)
		}
		if m := h.orgMember("org-x", c.user); m["user_role"] != "internal_user" {
			t.Fatalf("their membership was changed: %v", m)
		}
		in["adoptExisting"] = true
		if _, err := h.create(urn("OrganizationMember", c.user), in, 0); err != nil {
			t.Fatalf("adoptExisting (%s): %v", c.user, err)
		}
		if m := h.orgMember("org-x", c.user); m["user_role"] != c.role {
			t.Fatalf("adopted membership: %v", m)
		}
	}
	if roles := h.orgRoles("org-x"); len(roles) != 2 {
		t.Fatalf("members: %v", roles)
	}
	// A create interrupted after its add (before the engine recorded it)
	// finds a membership it cannot tell from anyone else's.
	u := urn("OrganizationMember", "u3")
	in := map[string]any{"organizationId": "org-x", "userId": "u3", "role": "internal_user"}
	h.mustCreate(u, in)
	if _, err := h.createOn(h.rerun(), u, in, 0); err == nil || !strings.Contains(err.Error(), "adoptExisting") {
		t.Fatalf("rerun of an interrupted create: %v", err)
	}
}

// The connection drops after member_add landed: the retry reads, finds the
// membership and adds nothing more.
func TestOrganizationMemberAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /organization/member_add"}}}, nil)
	h.apiOrg("org-a")
	h.emu.ResetStats()
	if _, err := h.create(urn("OrganizationMember", "m"), map[string]any{"organizationId": "org-a", "userId": "u1", "role": "internal_user"}, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if roles := h.orgRoles("org-a"); len(roles) != 1 || roles["u1"] != "internal_user" {
		t.Fatalf("members: %v", roles)
	}
	if n := h.emu.Stats()["POST /organization/member_add"]; n != 1 {
		t.Fatalf("%d member_add sent, want 1 (the dropped one)", n)
	}
}

func TestOrganizationMemberCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	base := func(kv ...any) map[string]any {
		in := map[string]any{"organizationId": "o", "userId": "u", "role": "internal_user"}
		for i := 0; i+1 < len(kv); i += 2 {
			in[kv[i].(string)] = kv[i+1]
		}
		return in
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{base("role", "admin"), "role", `"admin"`},
		{base("maxBudgetInOrganization", -1.0), "maxBudgetInOrganization", "-1"},
		{base("userId", ""), "userId", "must not be empty"},
		{base("organizationId", "a/b"), "organizationId", `"a/b"`},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("OrganizationMember", "m"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}

// ---- OrganizationMembers ----

func TestOrganizationMembersLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Workers: 3, ReloadInterval: time.Second, ReplicaLag: 300 * time.Millisecond}, nil)
	o := h.mustCreate(urn("Organization", "o"), map[string]any{"organizationAlias": "acme"})
	u := urn("OrganizationMembers", "acme")
	in := map[string]any{"organizationId": o.ID, "members": []any{
		map[string]any{"userId": "ana", "role": "internal_user"},
		map[string]any{"userId": "bo", "role": "org_admin", "maxBudgetInOrganization": 5.0},
	}}
	created := h.mustCreate(u, in)
	if created.ID != o.ID {
		t.Fatalf("ID %q, want the organization's %q", created.ID, o.ID)
	}
	if roles := h.orgRoles(o.ID); len(roles) != 2 || roles["ana"] != "internal_user" || roles["bo"] != "org_admin" ||
		uMap(h.orgMember(o.ID, "bo")["litellm_budget_table"])["max_budget"] != 5.0 {
		t.Fatalf("members on the proxy: %v", h.emu.OrganizationMembers(o.ID))
	}

	// A refresh with no change shows none. Out-of-band changes are drift: a
	// member removed, one added, a role changed.
	inputs := h.check(u, property.Map{}, pm(in))
	read, err := h.s.Read(p.ReadRequest{ID: o.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	if err != nil || !read.Inputs.Equals(inputs) {
		t.Fatalf("refresh without change: %v\nwant %v (%v)", read.Inputs.GoString(), inputs.GoString(), err)
	}
	h.emu.DeleteOrganizationMember(o.ID, "bo")
	h.emu.SetOrganizationMember(o.ID, "cy", "internal_user")
	h.emu.SetOrganizationMember(o.ID, "ana", "internal_user_viewer")
	time.Sleep(400 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: o.ID, Urn: u, Properties: created.Properties, Inputs: inputs})
	members := uList(get(read.Inputs, "members"))
	if err != nil || len(members) != 2 || get(pm(uMap(members[0])), "userId") != "ana" || get(pm(uMap(members[0])), "role") != "internal_user_viewer" ||
		get(pm(uMap(members[1])), "userId") != "cy" {
		t.Fatalf("refresh after out-of-band changes: %v %v", read.Inputs.GoString(), err)
	}

	// The next update restores the set: ana's role, bo (with its budget)
	// back, cy removed.
	news := h.check(u, read.Inputs, pm(in))
	diff, err := h.s.Diff(p.DiffRequest{ID: o.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff %+v %v", diff, err)
	}
	noReplacement(t, diff)
	updated, err := h.s.Update(p.UpdateRequest{ID: o.ID, Urn: u, State: read.Properties, OldInputs: read.Inputs, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if roles := h.orgRoles(o.ID); len(roles) != 2 || roles["ana"] != "internal_user" || roles["bo"] != "org_admin" ||
		uMap(h.orgMember(o.ID, "bo")["litellm_budget_table"])["max_budget"] != 5.0 {
		t.Fatalf("after update: %v", h.emu.OrganizationMembers(o.ID))
	}

	// Update in place: bo's role changes, dee joins; the order of the list
	// does not matter.
	in3 := map[string]any{"organizationId": o.ID, "members": []any{
		map[string]any{"userId": "dee", "role": "internal_user_viewer"},
		map[string]any{"userId": "bo", "role": "internal_user", "maxBudgetInOrganization": 5.0},
		map[string]any{"userId": "ana", "role": "internal_user"},
	}}
	news3 := h.check(u, news, pm(in3))
	updated, err = h.s.Update(p.UpdateRequest{ID: o.ID, Urn: u, State: updated.Properties, OldInputs: news, Inputs: news3})
	if err != nil {
		t.Fatal(err)
	}
	if roles := h.orgRoles(o.ID); len(roles) != 3 || roles["bo"] != "internal_user" || roles["dee"] != "internal_user_viewer" {
		t.Fatalf("after the second update: %v", roles)
	}
	reordered := h.check(u, news3, pm(map[string]any{"organizationId": o.ID, "members": []any{
		map[string]any{"userId": "ana", "role": "internal_user"},
		map[string]any{"userId": "bo", "role": "internal_user", "maxBudgetInOrganization": 5.0},
		map[string]any{"userId": "dee", "role": "internal_user_viewer"},
	}}))
	if diff, err := h.s.Diff(p.DiffRequest{ID: o.ID, Urn: u, State: updated.Properties, OldInputs: news3, Inputs: reordered}); err != nil || diff.HasChanges {
		t.Fatalf("reordering the list is a change: %+v %v", diff, err)
	}

	// Import rebuilds the set, sorted by user.
	time.Sleep(400 * time.Millisecond)
	imp, err := h.s.Read(p.ReadRequest{ID: o.ID, Urn: urn("OrganizationMembers", "imp")})
	if err != nil {
		t.Fatal(err)
	}
	got := uList(get(imp.Inputs, "members"))
	if get(imp.Inputs, "organizationId") != o.ID || len(got) != 3 || get(pm(uMap(got[0])), "userId") != "ana" ||
		get(pm(uMap(got[1])), "role") != "internal_user" || get(pm(uMap(got[2])), "userId") != "dee" {
		t.Fatalf("import inputs: %v", imp.Inputs.GoString())
	}
	if resp, err := h.s.Check(p.CheckRequest{Urn: urn("OrganizationMembers", "imp"), Inputs: imp.Inputs}); err != nil || len(resp.Failures) > 0 {
		t.Fatalf("imported inputs fail Check: %v %+v", err, resp.Failures)
	}

	// Delete removes the listed members; the set is gone.
	if err := h.s.Delete(p.DeleteRequest{ID: o.ID, Urn: u, Properties: updated.Properties}); err != nil {
		t.Fatal(err)
	}
	if roles := h.orgRoles(o.ID); len(roles) != 0 {
		t.Fatalf("members after delete: %v", roles)
	}
	time.Sleep(400 * time.Millisecond)
	read, err = h.s.Read(p.ReadRequest{ID: o.ID, Urn: u, Properties: aged(updated.Properties), Inputs: news3})
	if err != nil || read.ID != "" {
		t.Fatalf("read after delete: %q %v", read.ID, err)
	}
}

// A set whose members were all removed out of band, or whose organization
// was deleted, is gone after one read once settled; the next create adds
// the members again.
func TestOrganizationMembersDeletedOutOfBand(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.apiOrg("org-s")
	u := urn("OrganizationMembers", "s")
	in := map[string]any{"organizationId": "org-s", "members": []any{map[string]any{"userId": "u1", "role": "internal_user"}}}
	created := h.mustCreate(u, in)
	inputs := h.check(u, property.Map{}, pm(in))
	h.emu.DeleteOrganizationMember("org-s", "u1")
	h.emu.ResetStats()
	read, err := h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read of a set without members: %q %v", read.ID, err)
	}
	if n := h.emu.Stats()["GET /organization/info"]; n != 1 {
		t.Fatalf("%d reads to learn that the set is gone, want 1", n)
	}
	if _, err := h.create(u, in, 0); err != nil {
		t.Fatalf("create again: %v", err)
	}
	if roles := h.orgRoles("org-s"); roles["u1"] != "internal_user" {
		t.Fatalf("members: %v", roles)
	}
	h.emu.DeleteOrganization("org-s")
	read, err = h.s.Read(p.ReadRequest{ID: created.ID, Urn: u, Properties: aged(created.Properties), Inputs: inputs})
	if err != nil || read.ID != "" {
		t.Fatalf("read of a set whose organization is gone: %q %v", read.ID, err)
	}
}

// Members already in the organization make the create fail, named, unless
// adoptExisting, which takes them over: listed ones keep or get their role,
// the others are removed. Deleting the set leaves a member it does not
// list.
func TestOrganizationMembersForeignMembers(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	h.apiOrg("org-f")
	h.apiOrgMember("org-f", "x", "internal_user")
	h.apiOrgMember("org-f", "z", "org_admin")
	u := urn("OrganizationMembers", "f")
	in := map[string]any{"organizationId": "org-f", "members": []any{
		map[string]any{"userId": "x", "role": "org_admin"},
		map[string]any{"userId": "y", "role": "internal_user"},
	}}
	_, err := h.create(u, in, 0)
	if err == nil || !strings.Contains(err.Error(), "adoptExisting") || !strings.Contains(err.Error(), "(x, z)") {
		t.Fatalf("create over existing members: %v", err)
	}
	if roles := h.orgRoles("org-f"); len(roles) != 2 || roles["y"] != nil || roles["x"] != "internal_user" {
		t.Fatalf("members after the refused create: %v", roles)
	}
	in["adoptExisting"] = true
	created, err := h.create(u, in, 0)
	if err != nil {
		t.Fatalf("adoptExisting: %v", err)
	}
	if roles := h.orgRoles("org-f"); len(roles) != 2 || roles["x"] != "org_admin" || roles["y"] != "internal_user" {
		t.Fatalf("adopted set: %v", roles)
	}
	h.emu.SetOrganizationMember("org-f", "w", "internal_user")
	if err := h.s.Delete(p.DeleteRequest{ID: created.ID, Urn: u, Properties: created.Properties}); err != nil {
		t.Fatal(err)
	}
	if roles := h.orgRoles("org-f"); len(roles) != 1 || roles["w"] != "internal_user" {
		t.Fatalf("after delete: %v", roles)
	}
}

// The connection drops after member_add landed: the retry reads, finds
// the members it added and adds nothing more.
func TestOrganizationMembersAmbiguousCreate(t *testing.T) {
	h := newHarness(t, emulator.Options{Faults: emulator.Faults{DropNext: 1, Paths: []string{"POST /organization/member_add"}}}, nil)
	h.apiOrg("org-d")
	h.emu.ResetStats()
	in := map[string]any{"organizationId": "org-d", "members": []any{
		map[string]any{"userId": "a", "role": "internal_user"}, map[string]any{"userId": "b", "role": "org_admin"},
	}}
	if _, err := h.create(urn("OrganizationMembers", "d"), in, 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if roles := h.orgRoles("org-d"); len(roles) != 2 || roles["b"] != "org_admin" {
		t.Fatalf("members: %v", roles)
	}
	if n := h.emu.Stats()["POST /organization/member_add"]; n != 1 {
		t.Fatalf("%d member_add sent, want 1 (the dropped one)", n)
	}
}

func TestOrganizationMembersCheckNamesThePropertyAndTheValue(t *testing.T) {
	h := newHarness(t, emulator.Options{}, nil)
	member := func(user, role string, kv ...any) map[string]any {
		m := map[string]any{"userId": user, "role": role}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		in   map[string]any
		prop string
		want string
	}{
		{map[string]any{"organizationId": "o", "members": []any{member("a", "internal_user"), member("a", "org_admin")}}, "members[1].userId", `"a" is listed twice`},
		{map[string]any{"organizationId": "o", "members": []any{member("a", "owner")}}, "members[0].role", `"owner"`},
		{map[string]any{"organizationId": "o", "members": []any{member("a", "org_admin", "maxBudgetInOrganization", -2.0)}}, "members[0].maxBudgetInOrganization", "-2"},
		{map[string]any{"members": []any{}}, "organizationId", "must not be empty"},
	} {
		resp, err := h.s.Check(p.CheckRequest{Urn: urn("OrganizationMembers", "m"), Inputs: pm(c.in)})
		if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != c.prop || !strings.Contains(resp.Failures[0].Reason, c.want) {
			t.Errorf("%v: %+v %v", c.in, resp.Failures, err)
		}
	}
}
