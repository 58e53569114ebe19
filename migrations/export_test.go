package migrations

// BackfillReferralRollups lets the tests run the rollups' backfill on data
// made by the app.
var BackfillReferralRollups = backfillReferralRollups
