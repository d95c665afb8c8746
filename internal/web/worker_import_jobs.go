package web

import (
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// importJob is one uploaded file between its dry run and its import. Jobs
// live in this process's memory for an hour: an upload is checked and
// confirmed on the same server (behind a load balancer, sticky sessions).
type importJob struct {
	ID, CommunityID, UserID string
	FileName                string
	Created                 time.Time
	Plan                    *registry.Plan

	mu          sync.Mutex
	started     bool
	validOnly   bool
	done, total int
	finished    bool
	result      registry.ImportResult
	err         error
	elapsed     time.Duration
}

// importStatus is a snapshot of a job for the page.
type importStatus struct {
	Started, Finished, ValidOnly bool
	Done, Total, Percent         int
	Result                       registry.ImportResult
	Err                          error
	Elapsed                      time.Duration
}

func (j *importJob) status() importStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := importStatus{Started: j.started, Finished: j.finished, ValidOnly: j.validOnly, Done: j.done, Total: j.total,
		Result: j.result, Err: j.err, Elapsed: j.elapsed}
	if st.Total > 0 {
		st.Percent = st.Done * 100 / st.Total
	}
	if st.Finished && st.Err == nil {
		st.Percent = 100
	}
	return st
}

func (j *importJob) progress(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

// start marks the job started once; a second confirmation is refused.
func (j *importJob) start(validOnly bool) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.started {
		return false
	}
	j.started, j.validOnly, j.total = true, validOnly, j.Plan.New
	return true
}

func (j *importJob) finish(res registry.ImportResult, err error, elapsed time.Duration) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.finished, j.result, j.err, j.elapsed = true, res, err, elapsed
	j.done = j.total
}

const importJobTTL = time.Hour

type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

var uploads = &importJobs{jobs: map[string]*importJob{}}

func (s *importJobs) add(j *importJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, old := range s.jobs {
		if time.Since(old.Created) > importJobTTL {
			delete(s.jobs, id)
		}
	}
	s.jobs[j.ID] = j
}

// get returns a job of the actor's own, or not_found.
func (s *importJobs) get(a civic.Actor, id string) (*importJob, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || j.CommunityID != a.CommunityID || j.UserID != a.UserID || time.Since(j.Created) > importJobTTL {
		return nil, civic.Errorf(civic.NotFound, "registry.ui.import_gone", "this upload is no longer here: upload the file again")
	}
	return j, nil
}
