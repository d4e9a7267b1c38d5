package org.lesionweighting.tf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Device selection; the GPU paths are exercised through the same code on this CPU-only machine. */
class DevicesTest {

	@Test
	void testFromString() {
		assertEquals(Device.GPU, Device.fromString(" GPU"));
		assertEquals(Device.CPU, Device.fromString("cpu"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.fromString("tpu"));
		assertTrue(e.getMessage().contains("auto, cpu, gpu"), e.getMessage());
	}

	@Test
	void testConfigs() {
		assertTrue(Devices.config(Device.AUTO).getAllowSoftPlacement());
		assertTrue(Devices.config(Device.GPU).getGpuOptions().getAllowGrowth());
		assertEquals(0, Devices.config(Device.CPU).getDeviceCountOrDefault("GPU", -1));
		assertEquals(-1, Devices.config(Device.GPU).getDeviceCountOrDefault("GPU", -1));
	}

	@Test
	void testCpuSelectionListsTheCpu() {
		final Devices.Selection s = Devices.select(Device.CPU);
		assertFalse(s.gpu());
		assertTrue(s.used().startsWith("CPU (") && s.used().contains("CPU:0"), s.used());
		assertTrue(s.devices().stream().anyMatch(d -> d.type().equals("CPU")));
		assertTrue(s.devices().stream().noneMatch(d -> d.type().equals("GPU")));
	}

	@Test
	void testGpuRequestWithoutGpuFailsWithClearMessage() {
		final Devices.Selection auto = Devices.select(Device.AUTO);
		assumeFalse(auto.gpu(), "a GPU is present");
		assertTrue(auto.used().startsWith("CPU"));
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.select(Device.GPU));
		assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
		assertTrue(e.getMessage().contains("device 'cpu' or 'auto'"), e.getMessage());
		if (!Devices.gpuNativeLibraryPresent()) assertTrue(e.getMessage().contains("linux-x86_64-gpu"), e.getMessage());
	}

	@Test
	void testGpuChosenWhenListed() {
		final List< Devices.DeviceInfo > list = List.of(new Devices.DeviceInfo("/job:localhost/replica:0/task:0/device:CPU:0", "CPU", 0),
				new Devices.DeviceInfo("/job:localhost/replica:0/task:0/device:GPU:0", "GPU", 8_000_000_000L));
		final Devices.Selection s = Devices.fromDevices(Device.GPU, list, Devices.config(Device.GPU));
		assertTrue(s.gpu());
		assertEquals("GPU (/job:localhost/replica:0/task:0/device:GPU:0, 8.0 GB)", s.used());
		assertTrue(Devices.fromDevices(Device.AUTO, list, Devices.config(Device.AUTO)).gpu());
		assertFalse(Devices.fromDevices(Device.CPU, list, Devices.config(Device.CPU)).gpu());
	}
}
