package refstore_test

import (
	"context"
	"testing"

	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var ctx = context.Background()
