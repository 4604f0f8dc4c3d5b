//! A property test: random sequences of moves, each made by the person entitled to it, driven
//! through HTTP and compared step by step with a small model of the lifecycle written here
//! independently of the service's own state machine.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::Person;
use crate::helpers::{TestApp, holds_null};
use crate::ticket_fixtures::{Desk, act, events};

const SEQUENCES: u64 = 12;
const STEPS: usize = 10;
const ACTIONS: [&str; 7] = [
    "assign", "accept", "escalate", "resolve", "confirm", "reopen", "withdraw",
];

/// The model: (status, level, has an assignee).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Model {
    status: &'static str,
    level: &'static str,
    assigned: bool,
}

impl Model {
    /// The state after `action`, or `None` when the lifecycle refuses it.
    fn after(self, action: &str) -> Option<Model> {
        let open = matches!(self.status, "submitted" | "assigned" | "in_progress");
        let up = match self.level {
            "county" => Some("city"),
            "city" => Some("province"),
            _ => None,
        };
        let next = |status, assigned| {
            Some(Model {
                status,
                assigned,
                ..self
            })
        };
        match (action, self.status) {
            ("assign", _) if open => next("assigned", true),
            ("accept", "assigned") => next("in_progress", true),
            ("escalate", "assigned" | "in_progress") => up.map(|level| Model {
                status: "submitted",
                level,
                assigned: false,
            }),
            ("resolve", "in_progress") => next("resolved", true),
            ("confirm", "resolved") => next("closed", self.assigned),
            ("reopen", "resolved") => next("in_progress", self.assigned),
            ("withdraw", _) if open => next("withdrawn", self.assigned),
            _ => None,
        }
    }
}

/// xorshift64*: deterministic, so a failing sequence can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

struct Cast<'a> {
    d: &'a Desk,
}

impl Cast<'_> {
    fn supervisor(&self, level: &str) -> &Person {
        match level {
            "county" => &self.d.sup_county,
            "city" => &self.d.world.sup_own,
            _ => &self.d.sup_province,
        }
    }

    fn cadre(&self, level: &str) -> &Person {
        match level {
            "county" => &self.d.world.cadre,
            "city" => &self.d.cadre_city,
            _ => &self.d.cadre_province,
        }
    }

    /// Who makes `action` in `model`, the body, and the status to expect.
    fn plan(&self, action: &str, model: Model) -> (&Person, Value, u16) {
        let expect = |ok: bool| if ok { 200 } else { 409 };
        let allowed = model.after(action).is_some();
        match action {
            "assign" => {
                let body = json!({"assignee_id": self.cadre(model.level).user["id"]});
                (self.supervisor(model.level), body, expect(allowed))
            }
            // Only the assignee works a ticket; with none, the paired county cadre is refused.
            "accept" if !model.assigned => (&self.d.world.cadre, json!({}), 403),
            "resolve" if !model.assigned => {
                (&self.d.world.cadre, json!({"resolution": "已办结"}), 403)
            }
            "accept" => (self.cadre(model.level), json!({}), expect(allowed)),
            "resolve" => (
                self.cadre(model.level),
                json!({"resolution": "已办结"}),
                expect(allowed),
            ),
            "escalate" if model.assigned => (
                self.cadre(model.level),
                json!({"reason": "上报"}),
                expect(allowed),
            ),
            "escalate" => (
                self.supervisor(model.level),
                json!({"reason": "上报"}),
                expect(allowed),
            ),
            "confirm" => (&self.d.world.staff1, json!({"rating": 4}), expect(allowed)),
            _ => (
                &self.d.world.staff1,
                json!({"reason": "原因"}),
                expect(allowed),
            ),
        }
    }
}

async fn random_move_sequences_follow_the_model(app: &TestApp) {
    let d = Desk::build(app).await;
    let cast = Cast { d: &d };
    for seed in 1..=SEQUENCES {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut ticket = d.file(app, &d.world.staff1.token, json!({})).await;
        let mut model = Model {
            status: "assigned",
            level: "county",
            assigned: true,
        };
        let mut succeeded = 1;
        for step in 0..STEPS {
            let action = ACTIONS[rng.below(ACTIONS.len())];
            let (actor, body, status) = cast.plan(action, model);
            let answer = act(app, &actor.token, &ticket, action, body, status).await;
            let context = format!("seed {seed}, step {step}: {action} from {model:?}");
            if status == 200 {
                model = model.after(action).expect("planned as allowed");
                assert_eq!(answer["status"], model.status, "{context}");
                assert_eq!(answer["level"], model.level, "{context}");
                assert_eq!(
                    holds_null(&answer, "assignee_id"),
                    !model.assigned,
                    "{context}"
                );
                succeeded += 1;
                ticket = answer;
            } else if status == 409 {
                assert!(
                    answer["detail"].as_str().unwrap().contains(model.status)
                        || model.level == "province",
                    "{context}"
                );
            }
        }
        let trail = events(app, &d.world.cadre.token, &ticket).await;
        assert_eq!(
            trail.len(),
            succeeded,
            "seed {seed}: one event per successful move, none for refusals"
        );
    }
}

both_backends!(random_move_sequences_follow_the_model);
