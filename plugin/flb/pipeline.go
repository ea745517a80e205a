package flb

import (
	"os"
	"strings"

	"github.com/netflightrecorder/nfr/formats/config"
	_ "github.com/netflightrecorder/nfr/formats/dialects" // every dialect's keys in the Mapper
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
)

func init() { registry.deps = DefaultDeps() }

// DefaultDeps score through formats/pipeline and map with formats/record,
// exactly as `nfr score` and `nfr serve` do.
func DefaultDeps() Deps {
	return Deps{
		OpenPipeline: OpenPipeline,
		NewMapper:    func(in record.Input) Mapper { return record.NewMapper(in) },
	}
}

// LoadConfig resolves an instance's config and scope: the Config file (or
// nfr's default lookup), Scope replacing the config's scope.yml, Feeds
// added to its feeds. Errors name the key they come from.
func LoadConfig(s Settings) (*config.Config, *config.ScopeFile, error) {
	cfg, err := config.Load(s.Config)
	if err != nil {
		return nil, nil, &SettingError{KeyConfig, err.Error()}
	}
	scopeKey, explicit := KeyConfig, cfg.Dir != "" && cfg.Scope.Path != config.DefaultScope().Path
	if s.Scope != "" {
		cfg.Scope.Path, scopeKey, explicit = s.Scope, KeyScope, true
	}
	scope, err := config.LoadScope(cfg.ScopePath(), explicit)
	if err != nil {
		return nil, nil, &SettingError{scopeKey, err.Error()}
	}
	for _, f := range s.Feeds {
		if _, err := os.Stat(f.Path); err != nil {
			return nil, nil, &SettingError{KeyFeeds, err.Error()}
		}
	}
	cfg.Intel.Feeds = append(cfg.Intel.Feeds, s.Feeds...)
	return cfg, scope, nil
}

// OpenPipeline builds the instance's pipeline.
func OpenPipeline(s Settings, log *Logger) (Pipeline, error) {
	cfg, scope, err := LoadConfig(s)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.New(cfg, scope, pipeline.Options{Outputs: s.Outputs(cfg), Logf: log.Infof, WatchFeeds: pipeline.DefaultFeedWatch})
	if err != nil && s.Output != "" && strings.HasPrefix(err.Error(), "output "+s.Output) {
		return nil, &SettingError{KeyOutput, err.Error()}
	}
	if err != nil {
		return nil, err
	}
	return pipelineAdapter{p}, nil
}

// pipelineAdapter fits *pipeline.Pipeline to the Pipeline interface.
type pipelineAdapter struct{ *pipeline.Pipeline }

type batch struct{ *sink.Batch }

func (b batch) Len() int { return len(b.Alerts) }

func (a pipelineAdapter) NewBatch(alerts []*scoring.Alert) Batch {
	return batch{a.Pipeline.Outputs().NewBatch(alerts)}
}

// Deliver makes one attempt: Fluent Bit retries the chunk (RETRY).
func (a pipelineAdapter) Deliver(b Batch) error {
	return a.Pipeline.Outputs().Deliver(b.(batch).Batch)
}
