/// An amount of money in the organisation's minor currency unit (fen, cents).
///
/// Rapport keeps exactly one currency per organisation, so amounts carry no currency code.
/// Using whole minor units keeps arithmetic exact: `12_345` means 123.45 yuan.
public typealias Money = Int64
