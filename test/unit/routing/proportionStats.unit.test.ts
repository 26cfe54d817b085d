import assert from 'node:assert/strict';
import { normalCdf, twoProportionZTest, wilsonLowerBound } from '../../../src/core/routing/proportionStats';

const close = (actual: number, expected: number, tol = 1e-3) =>
  assert.ok(Math.abs(actual - expected) < tol, `${actual} is not within ${tol} of ${expected}`);

describe('proportionStats', () => {
  it('computes the Wilson 95% lower bound at known points', () => {
    close(wilsonLowerBound(5, 5), 0.5655);
    close(wilsonLowerBound(8, 10), 0.4902);
    close(wilsonLowerBound(0, 10), 0);
    close(wilsonLowerBound(90, 100), 0.8256);
  });

  it('gives 0 without attempts and grows with evidence at the same rate', () => {
    assert.equal(wilsonLowerBound(0, 0), 0);
    assert.ok(wilsonLowerBound(40, 50) > wilsonLowerBound(8, 10));
  });

  it('has a normal CDF that matches the tables', () => {
    close(normalCdf(0), 0.5, 1e-6);
    close(normalCdf(1.959964), 0.975, 1e-5);
    close(normalCdf(-1), 0.158655, 1e-5);
  });

  it('runs a pooled two-proportion z-test', () => {
    const t = twoProportionZTest(45, 50, 30, 50);
    close(t.z, 3.4641);
    close(t.pValue, 0.000532, 1e-5);
    const same = twoProportionZTest(7, 10, 7, 10);
    assert.equal(same.z, 0);
    close(same.pValue, 1, 1e-6);
  });

  it('returns p = 1 when there is nothing to compare', () => {
    assert.equal(twoProportionZTest(0, 0, 3, 5).pValue, 1);
    assert.equal(twoProportionZTest(5, 5, 5, 5).pValue, 1);
  });
});
