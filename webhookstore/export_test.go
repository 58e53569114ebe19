package webhookstore

// PruneQueries are the pruning statements, for their plans.
var PruneQueries = pruneQueries
