package provider

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/pulumi-litellm/pulumi-litellm/provider/internal/litellm"
)

// GetCredential reads one credential by name (litellm:index:getCredential).
type GetCredential struct{}

// GetCredentialArgs are getCredential's inputs.
type GetCredentialArgs struct {
	CredentialName string `pulumi:"credentialName"`
}

// CredentialResult is a credential as the functions return it: its name and
// info, never its values.
type CredentialResult struct {
	CredentialName string         `pulumi:"credentialName"`
	CredentialInfo map[string]any `pulumi:"credentialInfo,optional"`
	ManagedBy      *string        `pulumi:"managedBy,optional"`
}

// ListCredentials lists the credentials (litellm:index:listCredentials).
type ListCredentials struct{}

// ListCredentialsArgs are listCredentials' inputs (none).
type ListCredentialsArgs struct{}

// ListCredentialsResult is listCredentials' output.
type ListCredentialsResult struct {
	Credentials []CredentialResult `pulumi:"credentials"`
}

func (f *GetCredential) Annotate(a infer.Annotator) {
	a.SetToken("index", "getCredential")
	if !documenting() {
		return
	}
	a.Describe(f, "Reads a credential by name: its info, never its values. Credentials are served from each proxy "+
		"worker's memory: a miss is retried until the proxy's settle time (twice litellm:reloadInterval) has passed, "+
		"then the call fails.")
}

func (a *GetCredentialArgs) Annotate(an infer.Annotator) {
	if documenting() {
		an.Describe(&a.CredentialName, "The credential's name.")
	}
}

func (r *CredentialResult) Annotate(a infer.Annotator) {
	if !documenting() {
		return
	}
	a.Describe(&r.CredentialName, "The credential's name.")
	a.Describe(&r.CredentialInfo, "The credential's non-secret info (keys that look secret are left out).")
	a.Describe(&r.ManagedBy, "The URN of the Pulumi resource that manages the credential, if one does.")
}

func (f *ListCredentials) Annotate(a infer.Annotator) {
	a.SetToken("index", "listCredentials")
	if documenting() {
		a.Describe(f, "Lists the credentials the answering proxy worker holds (from its memory: one created in the last "+
			"reload interval may be missing).")
	}
}

func (r *ListCredentialsResult) Annotate(a infer.Annotator) {
	if documenting() {
		a.Describe(&r.Credentials, "The credentials, by name.")
	}
}

// Invoke reads the credential.
func (GetCredential) Invoke(ctx context.Context, req infer.FunctionRequest[GetCredentialArgs]) (infer.FunctionResponse[CredentialResult], error) {
	e := getEnv(ctx)
	c, err := runGet(ctx, e, credentialTarget(e, req.Input.CredentialName), false)
	if err != nil {
		return infer.FunctionResponse[CredentialResult]{}, err
	}
	return infer.FunctionResponse[CredentialResult]{Output: credentialResult(c)}, nil
}

// Invoke lists the credentials.
func (ListCredentials) Invoke(ctx context.Context, _ infer.FunctionRequest[ListCredentialsArgs]) (infer.FunctionResponse[ListCredentialsResult], error) {
	e := getEnv(ctx)
	rows, err := listResults(ctx, e, "credentials", e.client.Credentials.List, func(c litellm.Credential) (CredentialResult, error) { return credentialResult(&c), nil }, func(r CredentialResult) string { return r.CredentialName })
	return infer.FunctionResponse[ListCredentialsResult]{Output: ListCredentialsResult{Credentials: rows}}, err
}

func credentialResult(c *litellm.Credential) CredentialResult {
	return CredentialResult{CredentialName: c.CredentialName, CredentialInfo: publicMetadata(c.CredentialInfo), ManagedBy: managedBy(c.CredentialInfo)}
}
