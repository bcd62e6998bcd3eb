import Algorithms

/// One training run of a study: a setting, a seed and the configurations that train it.
public struct StudyRun: Sendable, Equatable {
    /// The setting's label, the same for all its seeds (for example `depth 16`).
    public var setting: String
    /// The setting's values by column name, for `results.csv` (for example `["depth": "16"]`).
    public var values: [String: String]
    /// The seed of networks, environments and sampling.
    public var seed: UInt64
    /// The registered name of the environment.
    public var environment: String
    /// The agent's settings.
    public var agent: AgentConfiguration
    /// The run's settings (its seed included).
    public var trainer: TrainerConfiguration

    /// The run directory's name inside the study's output: the setting and the seed, for example
    /// `depth-16-seed-0`.
    public var directoryName: String {
        let slug = setting.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return "\(slug)-seed-\(seed)"
    }
}

/// A study: its runs, every setting with every seed, in the order they train.
public struct Study: Sendable, Equatable {
    /// The study's name (`depth`, `residual`, …).
    public var name: String
    /// The columns of the settings' values, in order.
    public var columns: [String]
    /// The runs, setting by setting, each with every seed.
    public var runs: [StudyRun]

    /// A study of `settings` (label, values and agent settings of each), each trained with every
    /// seed on `environment` with the `trainer` settings.
    public init(
        name: String, columns: [String], settings: [(label: String, values: [String: String], agent: AgentConfiguration)],
        seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) {
        self.name = name
        self.columns = columns
        runs = settings.flatMap { setting in
            seeds.map { seed in
                var trainer = trainer
                trainer.seed = seed
                return StudyRun(
                    setting: setting.label, values: setting.values, seed: seed, environment: environment, agent: setting.agent,
                    trainer: trainer)
            }
        }
    }

    /// The runs of shard `index` of `count` (0-based): every `count`-th run from the `index`-th, so
    /// that `count` processes or machines together train each run exactly once.
    public func shard(_ index: Int, of count: Int) throws -> [StudyRun] {
        guard count >= 1, (0..<count).contains(index) else {
            throw AlgorithmsError.invalidSetting(name: "shard", value: "\(index + 1)/\(count)", expected: "i/n with 1 ≤ i ≤ n")
        }
        return runs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }
}

extension Study {
    /// CRL at each of `depths` (actor and critic alike): the paper's depth scaling.
    public static func depth(
        _ depths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) -> Study {
        Study(
            name: "depth", columns: ["depth"],
            settings: depths.map { depth in
                var agent = base
                (agent.criticDepth, agent.actorDepth) = (depth, depth)
                return ("depth \(depth)", ["depth": "\(depth)"], .crl(agent))
            },
            seeds: seeds, environment: environment, trainer: trainer)
    }

    /// CRL at very deep `depths` (256 and 1024 in the paper) with activation recomputation, so
    /// that memory stays bounded: that such networks learn, at what memory and speed.
    public static func deep(
        _ depths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) -> Study {
        var recomputing = base
        recomputing.networkOptions.recomputesActivations = true
        var study = depth(depths, base: recomputing, seeds: seeds, environment: environment, trainer: trainer)
        study.name = "deep"
        return study
    }

    /// CRL at each of `depths` trained on start–goal pairs near each other (`<environment>-near`,
    /// `EnvironmentRegistry.nearPairs` cells apart) and evaluated on far pairs never seen
    /// together (`<environment>-far`, `EnvironmentRegistry.farPairs`): whether depth helps
    /// stitch short experience into long paths.
    public static func stitching(
        _ depths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) -> Study {
        var far = trainer
        far.evaluationEnvironment = "\(environment)-far"
        var study = depth(depths, base: base, seeds: seeds, environment: "\(environment)-near", trainer: far)
        study.name = "stitching"
        return study
    }

    /// CRL learners at each of `learnerDepths` trained only on data a collector at each of
    /// `collectorDepths` gathers (`TrainerConfiguration.collector`; the collector trains on the
    /// same replay, as in a run of its own): a deep learner on a shallow collector's data, and the
    /// reverse, tell learning better from exploring better. Each run reports its learner.
    public static func exploration(
        collectorDepths: [Int], learnerDepths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String,
        trainer: TrainerConfiguration
    ) -> Study {
        var study = Study(name: "exploration", columns: ["collector_depth", "learner_depth"], settings: [], seeds: seeds,
                          environment: environment, trainer: trainer)
        for collectorDepth in collectorDepths {
            var collector = base
            (collector.criticDepth, collector.actorDepth) = (collectorDepth, collectorDepth)
            var collecting = trainer
            collecting.collector = .crl(collector)
            study.runs += Study(
                name: study.name, columns: study.columns,
                settings: learnerDepths.map { depth in
                    var learner = base
                    (learner.criticDepth, learner.actorDepth) = (depth, depth)
                    return ("collector \(collectorDepth) learner \(depth)",
                            ["collector_depth": "\(collectorDepth)", "learner_depth": "\(depth)"], .crl(learner))
                },
                seeds: seeds, environment: environment, trainer: collecting
            ).runs
        }
        return study
    }

    /// CRL at each of `depths` with and without residual connections: what the skips buy.
    public static func residual(
        _ depths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) -> Study {
        Study(
            name: "residual", columns: ["depth", "residual"],
            settings: depths.flatMap { depth in
                [true, false].map { residual in
                    var agent = base
                    (agent.criticDepth, agent.actorDepth, agent.networkOptions.residual) = (depth, depth, residual)
                    return ("depth \(depth) \(residual ? "residual" : "plain")", ["depth": "\(depth)", "residual": "\(residual)"], .crl(agent))
                }
            },
            seeds: seeds, environment: environment, trainer: trainer)
    }

    /// CRL, SAC and TD3 at each of `depths`, each with its own defaults otherwise.
    public static func baselines(
        _ depths: [Int], agents: [AgentConfiguration], seeds: [UInt64], environment: String, trainer: TrainerConfiguration
    ) -> Study {
        Study(
            name: "baselines", columns: ["algorithm", "depth"],
            settings: agents.flatMap { base in
                depths.map { depth in
                    let agent = base.withDepth(depth)
                    return ("\(agent.algorithm) depth \(depth)", ["algorithm": agent.algorithm, "depth": "\(depth)"], agent)
                }
            },
            seeds: seeds, environment: environment, trainer: trainer)
    }

    /// CRL with each of `batchSizes` at each of `depths` (a shallow and a deep setting).
    public static func batch(
        _ batchSizes: [Int], depths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String,
        trainer: TrainerConfiguration
    ) -> Study {
        Study(
            name: "batch", columns: ["depth", "batch"],
            settings: depths.flatMap { depth in
                batchSizes.map { batch in
                    var agent = base
                    (agent.criticDepth, agent.actorDepth, agent.batchSize) = (depth, depth, batch)
                    return ("depth \(depth) batch \(batch)", ["depth": "\(depth)", "batch": "\(batch)"], .crl(agent))
                }
            },
            seeds: seeds, environment: environment, trainer: trainer)
    }

    /// CRL at the base width with each of `depths`, against each of `widths` at the base depth:
    /// growing by depth or by width, compared by parameter count.
    public static func widthVersusDepth(
        depths: [Int], widths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String,
        trainer: TrainerConfiguration
    ) -> Study {
        let deeper = depths.map { depth -> (String, [String: String], AgentConfiguration) in
            var agent = base
            (agent.criticDepth, agent.actorDepth) = (depth, depth)
            return ("width \(base.criticWidth) depth \(depth)", ["width": "\(base.criticWidth)", "depth": "\(depth)"], .crl(agent))
        }
        let wider = widths.map { width -> (String, [String: String], AgentConfiguration) in
            var agent = base
            (agent.criticWidth, agent.actorWidth) = (width, width)
            return ("width \(width) depth \(base.criticDepth)", ["width": "\(width)", "depth": "\(base.criticDepth)"], .crl(agent))
        }
        return Study(
            name: "width-vs-depth", columns: ["width", "depth"], settings: deeper + wider, seeds: seeds, environment: environment,
            trainer: trainer)
    }

    /// CRL over the grid of `actorDepths` × `criticDepths`.
    public static func actorCritic(
        actorDepths: [Int], criticDepths: [Int], base: CRLConfiguration, seeds: [UInt64], environment: String,
        trainer: TrainerConfiguration
    ) -> Study {
        Study(
            name: "actor-critic", columns: ["actor_depth", "critic_depth"],
            settings: actorDepths.flatMap { actor in
                criticDepths.map { critic in
                    var agent = base
                    (agent.actorDepth, agent.criticDepth) = (actor, critic)
                    return ("actor \(actor) critic \(critic)", ["actor_depth": "\(actor)", "critic_depth": "\(critic)"], .crl(agent))
                }
            },
            seeds: seeds, environment: environment, trainer: trainer)
    }
}
