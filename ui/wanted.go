package ui

import "context"

// Every answer from the pool arrives on the UI goroutine some time after it
// was asked for; by then the page may have gone, the search changed or a
// newer request replaced it. One rule decides whether it is still wanted:
// it is while the context it was asked with lives. Pages and dialogs cancel
// theirs when they close, and latest cancels a request's context when a
// newer one of the same kind starts.

// wanted reports whether an answer asked for with ctx is still wanted.
func wanted(ctx context.Context) bool { return ctx.Err() == nil }

// latest hands out the context of the newest request of one kind;
// starting one cancels the one before it.
type latest struct{ cancel context.CancelFunc }

func (l *latest) start(parent context.Context) context.Context {
	l.stop()
	ctx, cancel := context.WithCancel(parent)
	l.cancel = cancel
	return ctx
}

func (l *latest) stop() {
	if l.cancel != nil {
		l.cancel()
	}
}
