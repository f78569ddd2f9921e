package litellm

import "net/http"

// endpoint is one route of LiteLLM's admin API together with the rules that
// tell what its error answers mean. Each service file (models.go,
// credentials.go, ...) declares its endpoints as values next to the calls
// that use them, so a rule can never be attached to a misspelt route: the
// call and its rules share one value.
type endpoint struct {
	method string
	path   string // template; each {name} is one percent-encoded path segment
	rules  []rule // this endpoint's special cases, checked before the generic ones (classify.go)
}

func (e *endpoint) String() string { return e.method + " " + e.path }

// write reports whether calling the endpoint may change the proxy: a write
// whose answer was lost may have been applied (Error.Ambiguous).
func (e *endpoint) write() bool {
	return e.method != http.MethodGet && e.method != http.MethodHead
}

// rule classifies an error answer of one endpoint.
type rule struct {
	status int      // the HTTP status (or the code of an error object returned with 200)
	match  []string // lower-case fragments of message or type, any of them; none: every message
	kind   Kind
	hint   string // optional: what the operator should do
}

// Endpoints lists every endpoint the client calls, for the API contract
// test (each must be in LiteLLM's route list).
func Endpoints() []string {
	var out []string
	for _, e := range allEndpoints {
		out = append(out, e.String())
	}
	return out
}

var allEndpoints = []*endpoint{
	&modelNew, &modelInfoRouter, &modelInfoV2, &modelPatch, &modelDelete,
	&credentialList, &credentialCreate, &credentialGet, &credentialPatch, &credentialDelete,
	&teamNew, &teamInfo, &teamUpdate, &teamDelete, &teamList,
	&userNew, &userInfo, &userUpdate, &userDelete, &userList,
	&budgetNew, &budgetInfo, &budgetUpdate, &budgetDelete, &customerNew, &customerInfo, &customerUpdate, &customerDelete, &projectNew, &projectInfo, &projectUpdate, &projectDelete,
	&organizationNew, &organizationInfo, &organizationUpdate, &organizationDelete, &organizationMemberAdd, &organizationMemberUpdate, &organizationMemberDelete,
	&keyGenerate, &keyInfo, &keyUpdate, &keyDelete, &keyRegenerate, &keyList,
	&teamMemberAdd, &teamMemberUpdate, &teamMemberDelete, &teamBlock, &teamUnblock, &keyBlock, &keyUnblock,
	&organizationList, &budgetList, &projectList, &customerList,
	&mcpServerNew, &mcpServerGet, &mcpServerUpdate, &mcpServerDelete, &mcpServerList,
	&vectorStoreNew, &vectorStoreUpdate, &vectorStoreDelete, &vectorStoreList,
	&guardrailCreate, &guardrailInfo, &guardrailUpdate, &guardrailDelete, &guardrailList,
	&promptCreate, &promptInfo, &promptUpdate, &promptDelete, &promptList,
	&passThroughCreate, &passThroughList, &passThroughUpdate, &passThroughDelete,
	&searchToolCreate, &searchToolGet, &searchToolUpdate, &searchToolDelete, &searchToolList,
	&policyCreate, &policyVersions, &policyNewVersion, &policyUpdate, &policyStatus, &policyDeleteAll, &policyGet, &policyList,
	&toolPolicySet, &toolGet, &toolList,
	&attachmentCreate, &attachmentGet, &attachmentDelete, &attachmentList,
	&accessGroupCreate, &accessGroupList, &accessGroupGet, &accessGroupUpdate, &accessGroupDelete,
	&mcpToolsetCreate, &mcpToolsetList, &mcpToolsetGet, &mcpToolsetUpdate, &mcpToolsetDelete,
	&agentCreate, &agentList, &agentGet, &agentPatch, &agentDelete,
	&jwtMappingCreate, &jwtMappingInfo, &jwtMappingUpdate, &jwtMappingDelete, &jwtMappingList,
	&tagNew, &tagInfo, &tagUpdate, &tagDelete, &tagList,
	&modelAccessGroupNew, &modelAccessGroupInfo, &modelAccessGroupUpdate, &modelAccessGroupDelete, &modelAccessGroupList,
	&modelAccessGroupBudgetGet, &modelAccessGroupBudgetSet, &modelAccessGroupBudgetDelete,
	&fallbackCreate, &fallbackGet, &fallbackDelete,
}
