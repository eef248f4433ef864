package core

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// idVectors is testdata/conversation-ids.json: the cases the JS
// ConversationIdUtil (test/ids.test.mjs) and the Go core must agree on.
type idVectors struct {
	Parse []struct {
		ID        string `json:"id"`
		Valid     bool   `json:"valid"`
		AccountID string `json:"accountId"`
		Type      int    `json:"type"`
		TargetID  string `json:"targetId"`
	} `json:"parse"`
	Build []struct {
		AccountID string `json:"accountId"`
		Type      int    `json:"type"`
		TargetID  string `json:"targetId"`
		Valid     bool   `json:"valid"`
		ID        string `json:"id"`
	} `json:"build"`
}

func loadIDVectors(t *testing.T) idVectors {
	t.Helper()
	data, err := os.ReadFile("../testdata/conversation-ids.json")
	if err != nil {
		t.Fatal(err)
	}
	var v idVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Parse) == 0 || len(v.Build) == 0 {
		t.Fatal("testdata/conversation-ids.json has no cases")
	}
	return v
}

func wantInvalidParam(t *testing.T, what string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: got %v, want a *Error 191004", what, err)
	}
	if e.Code != CodeInvalidParam || e.Message == "" {
		t.Fatalf("%s: got %d %q, want 191004 with a message", what, e.Code, e.Message)
	}
}

func TestConversationIDVectorsParse(t *testing.T) {
	for _, c := range loadIDVectors(t).Parse {
		got, err := ParseConversationID(c.ID)
		if !c.Valid {
			wantInvalidParam(t, "ParseConversationID("+vectorQuote(c.ID)+")", err)
			continue
		}
		if err != nil {
			t.Errorf("ParseConversationID(%q): %v, want valid", c.ID, err)
			continue
		}
		want := ConversationID{AccountID: c.AccountID, Type: ConversationType(c.Type), TargetID: c.TargetID}
		if got != want {
			t.Errorf("ParseConversationID(%q) = %+v, want %+v", c.ID, got, want)
		}
		// Every valid id is what building its parts gives.
		if id, err := BuildConversationID(got.AccountID, got.Type, got.TargetID); err != nil || id != c.ID {
			t.Errorf("BuildConversationID(parts of %q) = %q, %v", c.ID, id, err)
		}
	}
}

func TestConversationIDVectorsBuild(t *testing.T) {
	for _, c := range loadIDVectors(t).Build {
		id, err := BuildConversationID(c.AccountID, ConversationType(c.Type), c.TargetID)
		what := "BuildConversationID(" + vectorQuote(c.AccountID) + ", " + string(rune('0'+c.Type)) + ", " + vectorQuote(c.TargetID) + ")"
		if !c.Valid {
			wantInvalidParam(t, what, err)
			continue
		}
		if err != nil || id != c.ID {
			t.Errorf("%s = %q, %v; want %q", what, id, err, c.ID)
			continue
		}
		got, err := ParseConversationID(id)
		if err != nil || got != (ConversationID{c.AccountID, ConversationType(c.Type), c.TargetID}) {
			t.Errorf("ParseConversationID(%q) = %+v, %v; want the parts it was built from", id, got, err)
		}
	}
}

func vectorQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
