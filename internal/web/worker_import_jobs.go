package web

import (
	"time"

	"civicpoints/internal/registry"
)

// importStatus is an import job as its page shows it. The job itself lives
// in the database (registry.ImportJob), so any server shows it.
type importStatus struct {
	Started, Finished, ValidOnly bool
	Done, Total, Percent         int
	Result                       registry.ImportResult
	Err                          error
	Elapsed                      time.Duration
}

func statusOf(j registry.ImportJob) importStatus {
	st := importStatus{Started: j.Status != registry.ImportChecked, ValidOnly: j.ValidOnly, Done: j.Done, Total: j.Total,
		Result: j.Result, Err: j.Err, Elapsed: j.Elapsed}
	st.Finished = j.Status == registry.ImportDone || j.Status == registry.ImportFailed
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	if st.Finished && st.Err == nil {
		st.Percent = 100
	}
	return st
}
