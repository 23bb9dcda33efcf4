import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Mutation,
  Resolver,
  Root,
} from "type-graphql";
import { checkMeasurement } from "../inputs/indicator.js";
import type { Context } from "../loaders.js";
import { Indicator, type IndicatorRow, Measurement, type MeasurementRow } from "../types.js";
import { addMeasurement } from "../writes.js";

function currentValueOf(indicator: IndicatorRow, series: MeasurementRow[]): number | null {
  return series.at(-1)?.value ?? indicator.baseline;
}

@Resolver(() => Indicator)
export class IndicatorResolver {
  @FieldResolver(() => [Measurement], { description: "Measurements, oldest first." })
  measurements(@Root() row: IndicatorRow, @Ctx() { loaders }: Context) {
    return loaders.measurementsOf.load(row.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "The latest measurement, or the baseline before any.",
  })
  async currentValue(
    @Root() row: IndicatorRow,
    @Ctx() { loaders }: Context,
  ): Promise<number | null> {
    return currentValueOf(row, await loaders.measurementsOf.load(row.id));
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "Share of the way from baseline to target (0 to 1 and beyond); null without a target.",
  })
  async progress(@Root() row: IndicatorRow, @Ctx() { loaders }: Context): Promise<number | null> {
    const current = currentValueOf(row, await loaders.measurementsOf.load(row.id));
    if (row.target === null || current === null) return null;
    const baseline = row.baseline ?? 0;
    return row.target === baseline ? null : (current - baseline) / (row.target - baseline);
  }

  @Authorized("collectivite_agent")
  @Mutation(() => Measurement, {
    description:
      "Adds a measurement of an indicator: in its unit, dated today or earlier, one per date.",
  })
  addIndicatorMeasurement(
    @Arg("indicatorId", () => ID) indicatorId: string,
    @Arg("measuredOn", () => GraphQLLocalDate) measuredOn: string,
    @Arg("value", () => Float) value: number,
    @Arg("unit", () => String, {
      description:
        "Must be the indicator's unit: a value in another unit is refused, not converted.",
    })
    unit: string,
    @Ctx() { db, identity }: Context,
  ): Promise<MeasurementRow> {
    checkMeasurement(value, measuredOn);
    return addMeasurement(db, { indicatorId, measuredOn, value, unit }, identity);
  }
}
