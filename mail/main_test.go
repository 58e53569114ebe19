package mail_test

import (
	"testing"

	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }
